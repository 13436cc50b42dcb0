/**
 * `useEventTopic(topic, onEvent)`: while the component is mounted and someone is signed in, calls
 * `onEvent(data, at)` for each event of `topic` on the session's stream. The subscription follows
 * the topic's value (not its identity: a new object with the same fields keeps it), survives
 * reconnects (the stream subscribes again) and starts over on a new session. A null topic
 * subscribes to nothing.
 */
import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { EventKind, TopicOf } from '../../../shared/api/events.js';
import type { EventListener } from './EventStream.js';
import { currentEventStream, onEventStreamChange, useEventStreamStore } from './eventStreamStore.js';

export function useEventTopic<K extends EventKind>(topic: TopicOf<K> | null, onEvent: EventListener<K>): void {
  const latest = useRef(onEvent);
  useEffect(() => {
    latest.current = onEvent;
  });
  const stream = useSyncExternalStore(onEventStreamChange, currentEventStream);
  const key = topic ? JSON.stringify(topic) : null;

  useEffect(() => {
    if (!stream || key === null) return;
    return stream.subscribe(JSON.parse(key) as TopicOf<K>, (data, at) => latest.current(data as Parameters<EventListener<K>>[0], at));
  }, [stream, key]);
}

/** Whether events flow now; views fall back to polling while they do not. */
export function useEventsFlowing(): boolean {
  return useEventStreamStore((status) => status.state === 'open');
}
