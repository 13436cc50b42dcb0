/**
 * The state of one open run: the definition it ran, its latest full read (`runs.get`), each node's
 * status as the last `run` frame or read gave it, and the React Flow nodes and edges built from
 * them; the selected node with its task (attempts and logs, `tasks.get`), a map node's items
 * (`runs.items`), the context menu, and the run's actions.
 *
 * Frames carry states only. `applyFrame` redraws just the nodes that changed, and when one
 * finished it reads the run again (outputs, errors, edge decisions); reads are coalesced, so a
 * burst of frames costs one read in flight and at most one after it. A read that answers for a
 * run no longer open is dropped.
 */
import { create } from 'zustand';
import type { ResponseOf } from '../../../../shared/api/client.js';
import type { EventData } from '../../../../shared/api/events.js';
import type { RunView } from '../../../../shared/api/schemas/workflowRuns.js';
import type { WorkflowDefinition } from '../../../../shared/workflows/workflowDefinition.js';
import { failureMessage } from '../../controls/failureMessage.js';
import { apiClient } from '../../state/sessionStore.js';
import { onClusterSwitch } from '../../desktop/clustersStore.js';
import { runIsLive, type RunState } from './nodeDisplay.js';
import { edgePaths, type EdgePath } from './edgePaths.js';
import { buildRunEdges, buildRunNodes, patchRunEdges, patchRunNodes, type ReadAttempts, type RunFlowEdge, type RunFlowNode } from './runGraph.js';
import { diffRunFrame, withStatuses, type RunNodeStatus } from './runFrameDiff.js';
import { fetchRunItems, type ItemFilter, type RunItemsPage } from './runItems.js';
import { useRunsListStore } from './runsListStore.js';

export type RunFrame = EventData<'run'>['run'];
export type NodeTask = ResponseOf<'tasks.get'>;
export type RetryMode = 'node' | 'downstream' | 'failed';
export type RunAction = 'pause' | 'resume' | 'cancel';

export interface NodeTaskState {
  node: string;
  taskId: string;
  /** The node's status (`statusKey`) when the task was read: read again when it differs. */
  seen: string;
  detail: NodeTask | null;
  error: string | null;
}

export interface NodeItemsState {
  node: string;
  /** The node's status (`statusKey`) when the page was read: read again when it differs. */
  seen: string;
  offset: number;
  state: ItemFilter;
  page: RunItemsPage | null;
  error: string | null;
}

/** Where the context menu of a node opens (viewport pixels). */
export interface NodeMenu {
  node: string;
  x: number;
  y: number;
}

interface RunViewState {
  runId: string | null;
  /** The last full read of the run (`runs.get` or an action's answer). */
  run: RunView | null;
  definition: WorkflowDefinition | null;
  runState: RunState;
  failure: RunView['failure'];
  statuses: Record<string, RunNodeStatus>;
  /** Each node task's attempt count as read with its task, for the nodes whose task was read. */
  attempts: Record<string, ReadAttempts>;
  selected: string | null;
  nodes: RunFlowNode[];
  edges: RunFlowEdge[];
  /** The edges' curves (new only when a decision changes): what RunEdges draws. */
  edgePaths: EdgePath[];
  error: string | null;
  task: NodeTaskState | null;
  items: NodeItemsState | null;
  menu: NodeMenu | null;
  open(runId: string): Promise<void>;
  close(): void;
  refresh(): Promise<void>;
  applyFrame(frame: RunFrame): void;
  select(node: string | null): void;
  /** Shows `node`'s items from `offset`, in `state` (the shown filter when absent). */
  showItems(node: string, offset: number, state?: ItemFilter): Promise<void>;
  hideItems(): void;
  openMenu(menu: NodeMenu): void;
  closeMenu(): void;
  act(action: RunAction): Promise<void>;
  retry(node: string, mode: RetryMode): Promise<void>;
}

/** What a node's task and items depend on: its state, starts, attempts, finish and map progress. */
const statusKey = (status: RunNodeStatus | undefined) =>
  status ? `${status.state}:${status.starts}:${status.attempts}:${status.finishedAt}:${status.items?.finished}:${status.items?.total}` : '';

const initial = {
  runId: null,
  run: null,
  definition: null,
  runState: 'running' as RunState,
  failure: null,
  statuses: {},
  attempts: {},
  selected: null,
  nodes: [],
  edges: [],
  edgePaths: [],
  error: null,
  task: null,
  items: null,
  menu: null,
};

export const useRunViewStore = create<RunViewState>()((set, get) => {
  let refreshing: Promise<void> | null = null;
  let refreshAgain = false;
  /** A frame came while the run was still loading: read it again once loaded (the frame may be newer). */
  let framePending = false;

  /** New statuses and run state: only changed nodes get new objects. Answers the diff. */
  const applyStatuses = (nodes: readonly RunNodeStatus[], runState: RunState, failure: RunView['failure']) => {
    const state = get();
    const diff = diffRunFrame(state.statuses, nodes);
    const statuses = withStatuses(state.statuses, diff.changed);
    const patched = patchRunNodes(state.nodes, { runState, statuses, attempts: state.attempts, selected: state.selected });
    set({ statuses, runState, failure, nodes: patched });
    return diff;
  };

  /** A full read of the run (from `runs.get` or an action) becomes what the view shows. */
  const applyRun = (run: RunView) => {
    if (get().runId !== run.id) return;
    applyStatuses(run.nodes, run.state, run.failure);
    const { edges, nodes } = get();
    const patched = patchRunEdges(edges, run.edges);
    set(patched === edges ? { run } : { run, edges: patched, edgePaths: edgePaths(nodes, patched) });
    // Frames may have moved the statuses already: compare with what the task and items were read at.
    const { selected, task, items, statuses } = get();
    if (selected) {
      const node = run.nodes.find((each) => each.id === selected);
      if (node?.task && (node.task.id !== task?.taskId || statusKey(statuses[selected]) !== task.seen)) loadTask(selected);
    }
    if (items && statusKey(statuses[items.node]) !== items.seen) void get().showItems(items.node, items.offset, items.state);
  };

  const loadTask = (node: string) => {
    const runNode = get().run?.nodes.find((each) => each.id === node);
    if (!runNode?.task) {
      set({ task: null });
      return;
    }
    const { queue, id } = runNode.task;
    const seen = statusKey(get().statuses[node]);
    const starts = get().statuses[node]?.starts ?? 0;
    set((state) => ({ task: { node, taskId: id, seen, detail: state.task?.taskId === id ? state.task.detail : null, error: null } }));
    void apiClient.call('tasks.get', { params: { name: queue, id } }).then(
      (detail) => {
        if (get().task?.taskId !== id) return;
        const attempts = { ...get().attempts, [node]: { starts, attempts: detail.attempts } };
        const { runState, statuses, selected } = get();
        set((state) => ({ task: { node, taskId: id, seen, detail, error: null }, attempts, nodes: patchRunNodes(state.nodes, { runState, statuses, attempts, selected }) }));
      },
      (error: unknown) => {
        if (get().task?.taskId === id) set({ task: { node, taskId: id, seen, detail: null, error: failureMessage(error) } });
      },
    );
  };

  const readRun = async () => {
    const id = get().runId;
    if (!id) return;
    try {
      applyRun(await apiClient.call('runs.get', { params: { id } }));
      if (get().runId === id) set({ error: null });
    } catch (error) {
      if (get().runId === id) set({ error: failureMessage(error) });
    }
  };

  return {
    ...initial,

    async open(runId) {
      set({ ...initial, runId });
      framePending = false;
      try {
        // Opened from the list, the workflow and version are known: read the definition alongside.
        const listed = useRunsListStore.getState().runs.find((each) => each.id === runId);
        const readDefinition = (workflow: { workflow: string; version: number }) => apiClient.call('workflows.get', { params: { name: workflow.workflow }, query: { version: workflow.version } });
        const early = listed ? readDefinition(listed) : null;
        // Its failure is reported below, once awaited; meanwhile it is not an unhandled rejection.
        early?.catch(() => undefined);
        const run = await apiClient.call('runs.get', { params: { id: runId } });
        const { definition } = await (early ?? readDefinition(run));
        if (get().runId !== runId) return;
        const statuses = Object.fromEntries(run.nodes.map((node) => [node.id, node]));
        const nodes = buildRunNodes(definition, { runState: run.state, statuses, attempts: {}, selected: null });
        const edges = buildRunEdges(definition, run.edges);
        set({ run, definition, runState: run.state, failure: run.failure, statuses, nodes, edges, edgePaths: edgePaths(nodes, edges) });
        if (framePending) void get().refresh();
      } catch (error) {
        if (get().runId === runId) set({ error: failureMessage(error) });
      }
    },

    close() {
      set(initial);
    },

    refresh() {
      if (refreshing) {
        refreshAgain = true;
        return refreshing;
      }
      refreshing = (async () => {
        do {
          refreshAgain = false;
          await readRun();
        } while (refreshAgain);
      })().finally(() => {
        refreshing = null;
      });
      return refreshing;
    },

    applyFrame(frame) {
      const state = get();
      if (frame.id !== state.runId) return;
      if (!state.definition) {
        framePending = true;
        return;
      }
      const previousState = state.runState;
      const diff = applyStatuses(frame.nodes, frame.state, frame.failure);
      const runFinished = frame.state !== previousState && !runIsLive(frame.state);
      // The selected node's panel shows its task, input and output, which only a full read has.
      const selectedChanged = state.selected !== null && diff.changed.some((node) => node.id === state.selected);
      if (diff.finished.length > 0 || runFinished || selectedChanged) void get().refresh();
    },

    select(node) {
      const { runState, statuses, attempts } = get();
      set((state) => ({ selected: node, menu: null, items: node && state.items?.node === node ? state.items : null, nodes: patchRunNodes(state.nodes, { runState, statuses, attempts, selected: node }) }));
      if (node) loadTask(node);
      else set({ task: null });
    },

    async showItems(node, offset, filter) {
      const runId = get().runId;
      if (!runId) return;
      const shown = get().items;
      const state = filter ?? (shown?.node === node ? shown.state : '');
      const seen = statusKey(get().statuses[node]);
      set({ items: { node, seen, offset, state, page: shown?.node === node && shown.state === state ? shown.page : null, error: null } });
      const current = () => get().runId === runId && get().items?.node === node && get().items?.state === state && get().items?.offset === offset;
      try {
        const page = await fetchRunItems(runId, node, offset, state);
        if (current()) set({ items: { node, seen, offset, state, page, error: null } });
      } catch (error) {
        if (current()) set({ items: { node, seen, offset, state, page: null, error: failureMessage(error) } });
      }
    },

    hideItems() {
      set({ items: null });
    },

    openMenu(menu) {
      set({ menu });
    },

    closeMenu() {
      set({ menu: null });
    },

    async act(action) {
      const id = get().runId;
      if (!id) return;
      const request = { params: { id } };
      applyRun(await (action === 'pause' ? apiClient.call('runs.pause', request) : action === 'resume' ? apiClient.call('runs.resume', request) : apiClient.call('runs.cancel', request)));
    },

    async retry(node, mode) {
      const id = get().runId;
      if (!id) return;
      applyRun(await apiClient.call('runs.retry', { params: { id }, body: { node, mode } }));
    },
  };
});

/** Another cluster's runs are not this one's: the desktop app's cluster switch starts over. */
onClusterSwitch(() => useRunViewStore.setState(useRunViewStore.getInitialState(), true));
