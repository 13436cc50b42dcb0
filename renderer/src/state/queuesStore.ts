/** The queues with their live counts, and the queue actions of the Queues view. */
import { create } from 'zustand';
import type { QueueSummary } from '../../../shared/api/schemas/queues.js';
import { errorMessage } from './errorMessage.js';
import { apiClient } from './sessionStore.js';

interface QueuesState {
  queues: QueueSummary[];
  loaded: boolean;
  error: string | null;
  load(): Promise<void>;
  pause(name: string): Promise<void>;
  resume(name: string): Promise<void>;
  /** Creates a queue; answers whether it was created, so the form can clear itself. */
  createQueue(name: string): Promise<boolean>;
}

export const useQueuesStore = create<QueuesState>()((set, get) => {
  /** Runs a change, then reloads the list; shows the API's message when it fails. */
  const change = async (action: () => Promise<unknown>): Promise<boolean> => {
    try {
      await action();
      set({ error: null });
      await get().load();
      return true;
    } catch (error) {
      set({ error: errorMessage(error) });
      return false;
    }
  };

  return {
    queues: [],
    loaded: false,
    error: null,
    async load() {
      try {
        const { queues } = await apiClient.call('queues.list', {});
        set({ queues, loaded: true });
      } catch (error) {
        set({ error: errorMessage(error) });
      }
    },
    async pause(name) {
      await change(() => apiClient.call('queues.pause', { params: { name } }));
    },
    async resume(name) {
      await change(() => apiClient.call('queues.resume', { params: { name } }));
    },
    createQueue(name) {
      return change(() => apiClient.call('queues.create', { body: { name } }));
    },
  };
});
