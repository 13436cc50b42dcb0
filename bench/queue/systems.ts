/**
 * The systems under comparison, loaded lazily so that one system's missing or broken module does
 * not stop the others from being measured.
 */
import type { QueueSystem, Stores, SystemName } from './QueueSystem.js';

export async function createSystem(name: SystemName, stores: Stores): Promise<QueueSystem> {
  switch (name) {
    case 'switchyard':
      return (await import('./systems/switchyardSystem.js')).createSwitchyardSystem(stores);
    case 'bullmq':
      return (await import('./systems/bullmqSystem.js')).createBullmqSystem(stores);
    case 'graphile-worker':
      return (await import('./systems/graphileWorkerSystem.js')).createGraphileWorkerSystem(stores);
    case 'switchyard-postgres':
      return (await import('./systems/switchyardPostgresSystem.js')).createSwitchyardPostgresSystem(stores);
    case 'switchyard-pglite':
      return (await import('./systems/switchyardPostgresSystem.js')).createSwitchyardPgliteSystem(stores);
  }
}
