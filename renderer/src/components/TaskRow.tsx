/** One search result in the Tasks table; clicking it opens the task's detail. */
import type { FoundTask } from '../state/tasksStore.js';
import { useTasksStore } from '../state/tasksStore.js';
import { formatTime } from './formatTime.js';

export function TaskRow({ task }: { task: FoundTask }) {
  const open = useTasksStore((state) => state.open);
  return (
    <tr data-task={task.id} className="task-row" onClick={() => void open(task.queue, task.id)}>
      <th scope="row">
        <button type="button" className="link" title={task.id}>
          {task.id.slice(0, 8)}
        </button>
      </th>
      <td>{task.queue}</td>
      <td>{task.type}</td>
      <td className="state">{task.state}</td>
      <td>
        {task.attempts}/{task.maxAttempts}
      </td>
      <td>{formatTime(task.createdAt)}</td>
      <td>{formatTime(task.finishedAt)}</td>
      <td>{task.source}</td>
    </tr>
  );
}
