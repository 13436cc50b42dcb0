/**
 * A map node's items, expanded from the detail panel: each item's index, state, task (a link to
 * the Tasks view), output or error, a page of `itemsPageSize` at a time (`runs.items`), with
 * Previous/Next and a filter by state (to find the failed items of a large map).
 */
import { runItemStateNames } from '../../../../shared/api/schemas/workflowRuns.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { TableHead } from '../../controls/TableHead.js';
import { useTasksStore } from '../../state/tasksStore.js';
import { useViewStore } from '../../state/viewStore.js';
import { itemsPageSize, type ItemFilter } from './runItems.js';
import { useRunViewStore, type NodeItemsState } from './runViewStore.js';

const brief = (value: unknown) => (value === null || value === undefined ? '' : JSON.stringify(value));

const columns = ['#', 'State', 'Task', 'Output or error'];

export function MapItemsList({ items }: { items: NodeItemsState }) {
  const { node, offset, state, page, error } = items;
  const show = (from: number, filter: ItemFilter = state) => void useRunViewStore.getState().showItems(node, from, filter);
  const openTask = (queue: string, id: string) => {
    void useTasksStore.getState().open(queue, id);
    useViewStore.getState().show('Tasks');
  };
  return (
    <section className="map-items" aria-label={`Items of ${node}`}>
      <label>
        Items in state{' '}
        <select value={state} onChange={(event) => show(0, event.target.value as ItemFilter)}>
          <option value="">any</option>
          {runItemStateNames.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <ErrorMessage message={error} />
      {page ? (
        <>
          <p className="muted" role="status">
            {page.total === 0 ? 'No items.' : `Items ${offset + 1}–${Math.min(offset + page.items.length, page.total)} of ${page.total}`}
          </p>
          <table aria-label={`Items of ${node}`}>
            <TableHead columns={columns} />
            <tbody>
              {page.items.map((item) => (
                <tr key={item.index} data-item={item.index} data-state={item.state}>
                  <td>{item.index}</td>
                  <td className="item-state">{item.state}</td>
                  <td>
                    {item.task ? (
                      <button type="button" className="link" title={item.task.id} onClick={() => openTask(item.task!.queue, item.task!.id)}>
                        {item.task.id.slice(-12)}
                      </button>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>
                    <code className="item-value">{brief(item.error ?? item.output)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="map-items-pages">
            <button type="button" disabled={offset === 0} onClick={() => show(Math.max(0, offset - itemsPageSize))}>
              Previous items
            </button>
            <button type="button" disabled={offset + itemsPageSize >= page.total} onClick={() => show(offset + itemsPageSize)}>
              Next items
            </button>
          </div>
        </>
      ) : error ? null : (
        <p className="muted" role="status">
          Loading items…
        </p>
      )}
    </section>
  );
}
