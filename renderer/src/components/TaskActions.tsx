/** The actions that apply to a task in its state: retry (dead, cancelled), cancel (unfinished), promote (waiting). */
import type { TaskState } from '../../../shared/task.js';
import { useTasksStore, type TaskAction } from '../state/tasksStore.js';

const appliesTo: Record<TaskAction, readonly TaskState[]> = {
  retry: ['dead', 'cancelled'],
  cancel: ['scheduled', 'queued', 'active', 'failed'],
  promote: ['scheduled', 'failed'],
};

const labels: Record<TaskAction, string> = { retry: 'Retry', cancel: 'Cancel', promote: 'Promote' };

export function TaskActions({ state }: { state: TaskState }) {
  const act = useTasksStore((store) => store.act);
  const actions = (Object.keys(appliesTo) as TaskAction[]).filter((action) => appliesTo[action].includes(state));
  if (actions.length === 0) return null;
  return (
    <div className="task-actions">
      {actions.map((action) => (
        <button key={action} type="button" onClick={() => void act(action)}>
          {labels[action]}
        </button>
      ))}
    </div>
  );
}
