/**
 * Cancel, retry or promote every task the current search matches (roles with `tasks:write` only;
 * TasksView does not render this for a viewer). Each button first counts (a dry run) and the
 * confirmation dialog says how many tasks the action will change; see `bulkStore`.
 */
import { useTasksStore, type TaskAction } from '../state/tasksStore.js';
import { BulkDialog } from './BulkDialog.js';
import { useBulkStore } from './bulkStore.js';
import { bulkFilter } from './taskQuery.js';

const order: TaskAction[] = ['retry', 'cancel', 'promote'];
const labels: Record<TaskAction, string> = { retry: 'Retry all matching', cancel: 'Cancel all matching', promote: 'Promote all matching' };

export function BulkActions() {
  const filters = useTasksStore((state) => state.filters);
  const searched = useTasksStore((state) => state.searched);
  const { phase, prepare } = useBulkStore();
  if (!searched) return null;
  const target = bulkFilter(filters);
  return (
    <div className="bulk-actions" role="group" aria-label="Bulk actions">
      {order.map((action) => (
        <button key={action} type="button" disabled={'reason' in target || phase !== 'idle'} onClick={() => 'filter' in target && void prepare(action, target.filter)}>
          {labels[action]}
        </button>
      ))}
      {'reason' in target ? <span className="hint">{target.reason}</span> : null}
      <BulkDialog />
    </div>
  );
}
