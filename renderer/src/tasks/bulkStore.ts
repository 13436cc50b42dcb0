/**
 * A bulk action on the current search (`tasks.bulk`): first a dry run counts the tasks the action
 * applies to, the user confirms that count, then the action runs. The agent acts on at most
 * 50,000 tasks a request and answers `more` when others matched, so the run repeats the request
 * until nothing more matches (or a round changes nothing), and reports progress after each.
 */
import { create } from 'zustand';
import { errorMessage } from '../state/errorMessage.js';
import { apiClient } from '../state/sessionStore.js';
import type { TaskAction } from '../state/tasksStore.js';
import type { BulkFilter } from './taskQuery.js';

export type BulkPhase = 'idle' | 'counting' | 'confirming' | 'running' | 'done';

interface BulkState {
  phase: BulkPhase;
  action: TaskAction | null;
  filter: BulkFilter | null;
  /** Tasks the dry run counted. */
  matched: number;
  /** The dry run stopped at the agent's limit: at least `matched` tasks. */
  more: boolean;
  /** Tasks changed so far. */
  applied: number;
  /** Requests sent so far while running. */
  rounds: number;
  error: string | null;
  /** Counts what `action` would change (a dry run) and asks for confirmation. */
  prepare(action: TaskAction, filter: BulkFilter): Promise<void>;
  /** Runs the confirmed action; resolves when it is done or failed. */
  confirm(): Promise<void>;
  dismiss(): void;
}

const initial = { phase: 'idle' as const, action: null, filter: null, matched: 0, more: false, applied: 0, rounds: 0, error: null };

export const useBulkStore = create<BulkState>()((set, get) => ({
  ...initial,
  async prepare(action, filter) {
    set({ ...initial, phase: 'counting', action, filter });
    try {
      const count = await apiClient.call('tasks.bulk', { body: { filter, action, dryRun: true } });
      if (get().filter === filter) set({ phase: 'confirming', matched: count.matched, more: count.more });
    } catch (error) {
      if (get().filter === filter) set({ phase: 'done', error: errorMessage(error) });
    }
  },
  async confirm() {
    const { action, filter, phase } = get();
    if (phase !== 'confirming' || !action || !filter) return;
    set({ phase: 'running', applied: 0, rounds: 0 });
    try {
      for (;;) {
        const round = await apiClient.call('tasks.bulk', { body: { filter, action, dryRun: false } });
        if (get().filter !== filter) return;
        set({ applied: get().applied + round.applied, rounds: get().rounds + 1 });
        if (!round.more || round.applied === 0) break;
      }
      set({ phase: 'done' });
    } catch (error) {
      if (get().filter === filter) set({ phase: 'done', error: errorMessage(error) });
    }
  },
  dismiss() {
    set(initial);
  },
}));
