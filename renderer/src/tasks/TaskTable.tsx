/**
 * The search results as a virtualised grid (@tanstack/react-virtual): every row has the same
 * height (`rowHeight`), and only the rows in view plus `overscan` on each side are in the DOM.
 *
 * The markup is an ARIA grid of `div`s (`[role=row][data-task="<id>"]`, a `.state` cell), not a
 * `<table>`: in Chromium a change to a `<tr>` recalculates the style of every cell in it, and that
 * cost grew frame after frame in a long scroll (measured: 410 elements and 2 → 70 ms per frame),
 * where the same `div`s cost about 1 ms. tasks.css lays the body out as a block as tall as the
 * whole list and each row as a contained CSS grid placed with `translateY`, so new rows never lay
 * out the others. Rows are keyed by their place in the view (0 for the first row shown), not by
 * task: when the view moves, each element stays and only its text, attributes and offset change,
 * instead of a screenful of rows being built every frame of a fast scroll. The next page is
 * fetched when the rows in view come within `prefetchRows` of the end.
 *
 * Keyboard (with the grid focused): ↑/↓ move the cursor a row, Page Up/Down a screen, Home/End
 * to the first/last row; Enter opens the task under the cursor; Escape closes the detail.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, type KeyboardEvent } from 'react';
import { TaskRow } from '../components/TaskRow.js';
import { useTasksStore } from '../state/tasksStore.js';

/** Height of every row and of the header, in CSS pixels; tasks.css sets the same. */
export const rowHeight = 32;
/** Rows rendered beyond each edge of the view, so a fast scroll does not show blank space. */
const overscan = 12;
/** Fetch the next page when the view comes this close to the last loaded row. */
const prefetchRows = 200;

const columns = ['Id', 'Queue', 'Type', 'State', 'Attempts', 'Created', 'Finished', 'Source'];

export function TaskTable() {
  const { tasks, filters, cursorIndex, nextCursor, capped, moveCursor, open, close, loadMore } = useTasksStore();
  const scrollRef = useRef<HTMLDivElement>(null);
  const tableRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: tasks.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan,
    // The sticky header is the first `rowHeight` pixels of the scrolled content.
    paddingStart: rowHeight,
    scrollPaddingStart: rowHeight,
  });
  const items = virtualizer.getVirtualItems();
  const firstIndex = items[0]?.index ?? 0;
  const lastIndex = items.at(-1)?.index ?? -1;

  useEffect(() => {
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [filters]);

  useEffect(() => {
    if (nextCursor && !capped && lastIndex >= tasks.length - prefetchRows) void loadMore();
  }, [lastIndex, tasks.length, nextCursor, capped, loadMore]);

  const pick = useCallback(
    (index: number) => {
      const task = useTasksStore.getState().tasks[index];
      if (!task) return;
      moveCursor(index);
      tableRef.current?.focus({ preventScroll: true });
      void open(task.queue, task.id);
    },
    [moveCursor, open],
  );

  const onKeyDown = (event: KeyboardEvent) => {
    const screen = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? rowHeight) / rowHeight) - 2);
    const at = cursorIndex ?? -1;
    const moves: Record<string, number> = { ArrowDown: at + 1, ArrowUp: at - 1, PageDown: at + screen, PageUp: at - screen, Home: 0, End: tasks.length - 1 };
    if (event.key in moves) {
      event.preventDefault();
      if (tasks.length === 0) return;
      const index = Math.min(Math.max(moves[event.key]!, 0), tasks.length - 1);
      moveCursor(index);
      virtualizer.scrollToIndex(index, { align: 'auto' });
    } else if (event.key === 'Enter' && cursorIndex !== null) {
      event.preventDefault();
      pick(cursorIndex);
    } else if (event.key === 'Escape') {
      close();
    }
  };

  return (
    <div className="task-table-scroll" ref={scrollRef}>
      <div
        className="task-table"
        role="grid"
        aria-label="Tasks found"
        aria-rowcount={tasks.length + 1}
        aria-activedescendant={cursorIndex !== null ? `task-row-${cursorIndex}` : undefined}
        tabIndex={0}
        ref={tableRef}
        onKeyDown={onKeyDown}
      >
        <div className="task-header" role="rowgroup">
          <div className="task-row-layout" role="row" aria-rowindex={1}>
            {columns.map((column) => (
              <div role="columnheader" key={column}>
                {column}
              </div>
            ))}
          </div>
        </div>
        <div className="task-body" role="rowgroup" style={{ height: tasks.length * rowHeight }}>
          {items.map((item) => (
            <TaskRow
              key={item.index - firstIndex}
              task={tasks[item.index]!}
              index={item.index}
              offset={item.start - rowHeight}
              current={item.index === cursorIndex}
              onPick={pick}
            />
          ))}
        </div>
      </div>
    </div>
  );
}
