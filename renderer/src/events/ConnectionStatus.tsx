/**
 * A discreet line saying whether live updates flow: "Live" while the event stream is open,
 * otherwise what it is doing and why (e.g. "Reconnecting: the connection was lost").
 */
import { useEventStreamStore } from './eventStreamStore.js';
import './events.css';

const labels = { connecting: 'Connecting…', open: 'Live', reconnecting: 'Reconnecting', closed: 'Offline' } as const;

export function ConnectionStatus() {
  const { state, problem } = useEventStreamStore();
  return (
    <span className="connection-status" data-state={state} role="status" aria-label="Live updates">
      {labels[state]}
      {problem ? `: ${problem}` : ''}
    </span>
  );
}
