/**
 * Pause, resume and cancel for the open run (roles with `workflows:run`; not rendered for
 * others): Pause while it runs, Resume while it is paused, Cancel (confirmed) in either.
 */
import { ActionButton } from '../../controls/ActionButton.js';
import type { RunState } from './nodeDisplay.js';
import { useRunViewStore } from './runViewStore.js';

export function RunControls({ state }: { state: RunState }) {
  const act = useRunViewStore((store) => store.act);
  return (
    <div className="run-controls" role="group" aria-label="Run actions">
      {state === 'running' ? <ActionButton label="Pause" busyLabel="Pausing…" onAction={() => act('pause')} /> : null}
      {state === 'paused' ? <ActionButton label="Resume" busyLabel="Resuming…" onAction={() => act('resume')} /> : null}
      {state === 'running' || state === 'paused' ? (
        <ActionButton label="Cancel run" busyLabel="Cancelling…" danger confirm="Cancel this run and the tasks of its running nodes?" onAction={() => act('cancel')} />
      ) : null}
    </div>
  );
}
