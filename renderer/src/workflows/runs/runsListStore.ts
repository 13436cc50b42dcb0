/**
 * The list of runs: `runs.list` newest first, a page at a time, filtered by workflow and state.
 * Pages go back in time with `before` and `beforeId` (the `createdAt` and `id` of the page's last
 * run, so runs created in the same millisecond are not skipped); the cursors of the
 * pages seen are kept, so "Newer" goes back the way "Older" came. One run more than a page is
 * asked for, to know whether an older page exists. The workflow filter offers `workflows.list`.
 */
import { create } from 'zustand';
import type { RunSummary } from '../../../../shared/api/schemas/workflowRuns.js';
import { failureMessage } from '../../controls/failureMessage.js';
import { apiClient } from '../../state/sessionStore.js';
import { onClusterSwitch } from '../../desktop/clustersStore.js';
import type { RunState } from './nodeDisplay.js';

export const runsPageSize = 50;

/** Where a page starts: after the run created at `before` with id `beforeId`. */
interface RunsCursor {
  before: number;
  beforeId: string;
}

export interface RunFilters {
  /** A workflow's name, or '' for every workflow. */
  workflow: string;
  state: RunState | '';
}

interface RunsListState {
  filters: RunFilters;
  /** The cursor of each page from the newest to the one shown; undefined for the first. */
  cursors: Array<RunsCursor | undefined>;
  runs: RunSummary[];
  hasOlder: boolean;
  workflows: string[];
  loaded: boolean;
  error: string | null;
  load(): Promise<void>;
  loadWorkflows(): Promise<void>;
  filter(filters: RunFilters): Promise<void>;
  older(): Promise<void>;
  newer(): Promise<void>;
  reset(): void;
}

const initial = { filters: { workflow: '', state: '' } as RunFilters, cursors: [undefined], runs: [], hasOlder: false, workflows: [], loaded: false, error: null };

export const useRunsListStore = create<RunsListState>()((set, get) => {
  /** Reads the page at `cursors`' last cursor with `filters`, unless another read started since. */
  let reading = 0;
  const read = async (filters: RunFilters, cursors: Array<RunsCursor | undefined>) => {
    const mine = ++reading;
    try {
      const { runs } = await apiClient.call('runs.list', {
        query: { workflow: filters.workflow || undefined, state: filters.state || undefined, ...cursors.at(-1), limit: runsPageSize + 1 },
      });
      if (mine !== reading) return;
      set({ filters, cursors, runs: runs.slice(0, runsPageSize), hasOlder: runs.length > runsPageSize, loaded: true, error: null });
    } catch (error) {
      if (mine === reading) set({ error: failureMessage(error), loaded: true });
    }
  };

  return {
    ...initial,
    load: () => read(get().filters, get().cursors),
    async loadWorkflows() {
      try {
        const { workflows } = await apiClient.call('workflows.list', {});
        set({ workflows: workflows.map((workflow) => workflow.name).sort() });
      } catch (error) {
        set({ error: failureMessage(error) });
      }
    },
    filter: (filters) => read(filters, [undefined]),
    async older() {
      const last = get().runs.at(-1);
      if (!last || !get().hasOlder) return;
      await read(get().filters, [...get().cursors, { before: last.createdAt, beforeId: last.id }]);
    },
    async newer() {
      const cursors = get().cursors;
      if (cursors.length > 1) await read(get().filters, cursors.slice(0, -1));
    },
    reset() {
      reading++;
      set(initial);
    },
  };
});

/** Another cluster's runs are not this one's: the desktop app's cluster switch starts over. */
onClusterSwitch(() => useRunsListStore.setState(useRunsListStore.getInitialState(), true));
