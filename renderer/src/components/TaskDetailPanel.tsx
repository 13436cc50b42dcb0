/**
 * The open task: its fields, every attempt and, for those whose role may change tasks, its actions.
 * A task a workflow run enqueued links to that run. Escape (or Close) closes it.
 */
import { placeOfTaskKey } from '../../../shared/workflows/taskKeys.js';
import type { TaskDetail } from '../state/tasksStore.js';
import { useTasksStore } from '../state/tasksStore.js';
import { useWorkflowNavigation } from '../workflows/workflowNavigation.js';
import { AttemptList } from './AttemptList.js';
import { formatTime } from './formatTime.js';
import { TaskActions } from './TaskActions.js';

export function TaskDetailPanel({ task, canChange }: { task: TaskDetail; canChange: boolean }) {
  const close = useTasksStore((state) => state.close);
  const place = task.idempotencyKey ? placeOfTaskKey(task.idempotencyKey) : undefined;
  return (
    <section className="task-detail" aria-label="Task detail" data-task={task.id} onKeyDown={(event) => event.key === 'Escape' && close()}>
      <h2>
        {task.type} <code>{task.id}</code>
      </h2>
      <dl>
        <dt>Queue</dt>
        <dd>{task.queue}</dd>
        <dt>State</dt>
        <dd className="state">{task.state}</dd>
        <dt>Attempts</dt>
        <dd>
          {task.attempts}/{task.maxAttempts}
        </dd>
        <dt>Created</dt>
        <dd>{formatTime(task.createdAt)}</dd>
        <dt>Finished</dt>
        <dd>{formatTime(task.finishedAt)}</dd>
        {place ? (
          <>
            <dt>Workflow run</dt>
            <dd>
              <button type="button" className="link" title={place.runId} onClick={() => useWorkflowNavigation.getState().openRun(place.runId)}>
                node {place.nodeId}
                {place.index === null ? '' : `, item ${place.index}`}, start {place.start}
              </button>
            </dd>
          </>
        ) : null}
      </dl>
      {canChange ? <TaskActions state={task.state} /> : null}
      <h3>Attempts</h3>
      <AttemptList attempts={task.history} />
      <button type="button" onClick={close}>
        Close
      </button>
    </section>
  );
}
