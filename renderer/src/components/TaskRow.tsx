/**
 * One search result in the Tasks grid (`[role=row][data-task]`), at a fixed height and placed
 * with `translateY` (the list is virtualised; see TaskTable.tsx); clicking it
 * moves the keyboard cursor there and opens the task's detail. The id column shows the id's last
 * 12 characters: ids are time-ordered UUIDs (v7), so tasks enqueued together share their start.
 */
import { memo } from 'react';
import type { TaskListRow } from '../state/tasksStore.js';
import { formatListTime } from '../tasks/formatListTime.js';

interface TaskRowProps {
  task: TaskListRow;
  index: number;
  /** Pixels from the top of the table body (the list is virtualised: rows are placed, not flowed). */
  offset: number;
  current: boolean;
  onPick(index: number): void;
}

function TaskRowContent({ task, index, offset, current, onPick }: TaskRowProps) {
  return (
    <div
      data-task={task.id}
      data-index={index}
      id={`task-row-${index}`}
      className={current ? 'task-row task-row-layout current' : 'task-row task-row-layout'}
      role="row"
      style={{ transform: `translateY(${offset}px)` }}
      aria-rowindex={index + 2}
      aria-selected={current}
      onClick={() => onPick(index)}
    >
      <div role="rowheader">
        <code title={task.id}>…{task.id.slice(-12)}</code>
      </div>
      <div role="gridcell">{task.queue}</div>
      <div role="gridcell" title={task.type}>
        {task.type}
      </div>
      <div role="gridcell" className="state">
        {task.state}
      </div>
      <div role="gridcell">
        {task.attempts}/{task.maxAttempts}
      </div>
      <div role="gridcell">{formatListTime(task.createdAt)}</div>
      <div role="gridcell">{formatListTime(task.finishedAt)}</div>
      <div role="gridcell">{task.source}</div>
    </div>
  );
}

/** A row re-renders only when its task, place or cursor changes. */
export const TaskRow = memo(TaskRowContent);
