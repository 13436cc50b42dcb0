/**
 * The agent the console benchmark opens in Chromium: the real `switchyard agent --no-worker` in a
 * child process (so the bench's own work never shares its event loop), on a scratch database and
 * Redis prefix, with one operator, one queue and `taskCount` queued tasks enqueued in bulk.
 * Nothing consumes them, so every one stays queued and the explorer lists them all.
 */
import type { ApiClient } from '../../shared/api/client.js';
import { maxBulkTasks } from '../../shared/api/schemas/tasks.js';
import { startBenchAgent } from '../benchAgent.js';
import type { Stores } from '../queue/QueueSystem.js';

export interface ConsoleAgent {
  url: string;
  username: string;
  password: string;
  queue: string;
  /** The typed client, signed in as the operator (for the workflow run the run view opens). */
  api: ApiClient;
  close(): Promise<void>;
}

export const benchQueue = 'console-bench';

export async function startConsoleAgent(stores: Stores, taskCount: number, progress: (line: string) => void): Promise<ConsoleAgent> {
  const agent = await startBenchAgent(stores, 'console');
  const { url, username, password, api, close } = agent;
  try {
    await api.call('queues.create', { body: { name: benchQueue } });
    const types = ['invoice.send', 'report.build', 'image.resize', 'mail.deliver'];
    for (let start = 0; start < taskCount; start += maxBulkTasks) {
      const tasks = Array.from({ length: Math.min(maxBulkTasks, taskCount - start) }, (_, offset) => ({
        type: types[(start + offset) % types.length]!,
        payload: { index: start + offset, customer: `customer-${(start + offset) % 997}` },
      }));
      await api.call('tasks.enqueueBulk', { params: { name: benchQueue }, body: { tasks } });
      progress(`enqueued ${Math.min(start + maxBulkTasks, taskCount).toLocaleString('en-US')} of ${taskCount.toLocaleString('en-US')} tasks`);
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { url, username, password, queue: benchQueue, api, close };
}
