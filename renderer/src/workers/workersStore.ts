/**
 * The Workers view's state: every registered worker and the queues nobody consumes
 * (`workers.list`), and the operator's commands, drain and stop. A command throws on failure so
 * the button that sent it can show why; the list reloads after each.
 */
import { create } from 'zustand';
import type { ResponseOf } from '../../../shared/api/client.js';
import { failureMessage } from '../controls/failureMessage.js';
import { apiClient } from '../state/sessionStore.js';

export type WorkerInfo = ResponseOf<'workers.list'>['workers'][number];
export type WorkerCommand = 'drain' | 'stop';

interface WorkersState {
  workers: WorkerInfo[];
  queuesWithoutWorkers: string[];
  loaded: boolean;
  error: string | null;
  load(): Promise<void>;
  command(id: string, command: WorkerCommand): Promise<void>;
}

export const useWorkersStore = create<WorkersState>()((set, get) => ({
  workers: [],
  queuesWithoutWorkers: [],
  loaded: false,
  error: null,
  async load() {
    try {
      const { workers, queuesWithoutWorkers } = await apiClient.call('workers.list', {});
      set({ workers: [...workers].sort((left, right) => left.id.localeCompare(right.id)), queuesWithoutWorkers, loaded: true, error: null });
    } catch (error) {
      set({ error: failureMessage(error), loaded: true });
    }
  },
  async command(id, command) {
    await apiClient.call(command === 'drain' ? 'workers.drain' : 'workers.stop', { params: { id } });
    await get().load();
  },
}));
