/**
 * Drops every store's data that belongs to one cluster when the desktop app switches to another,
 * so a view never shows (or acts on) the previous cluster's queues, tasks or workers while the new
 * cluster's first answer is on its way. The views themselves remount (keyed by the cluster id);
 * this puts their stores back to their initial state. A store added for a new view that holds one
 * cluster's data belongs in this list, or subscribes with `onClusterSwitch` itself.
 */
import type { StoreApi } from 'zustand';
import { useDeadLettersStore } from '../deadLetters/deadLettersStore.js';
import { useOverviewStore } from '../overview/overviewStore.js';
import { useSchedulesStore } from '../schedules/schedulesStore.js';
import { useQueuesStore } from '../state/queuesStore.js';
import { useTasksStore } from '../state/tasksStore.js';
import { useBulkStore } from '../tasks/bulkStore.js';
import { useWorkersStore } from '../workers/workersStore.js';
import { onClusterSwitch } from './clustersStore.js';

/** Stores whose data came from the active cluster. */
const clusterStores: ReadonlyArray<Pick<StoreApi<object>, 'setState'> & { getInitialState(): object }> = [
  useQueuesStore,
  useTasksStore,
  useBulkStore,
  useWorkersStore,
  useSchedulesStore,
  useOverviewStore,
  useDeadLettersStore,
];

/** Resets those stores on every switch; returns the unsubscribe. Called once by the desktop app. */
export function resetClusterDataOnSwitch(): () => void {
  return onClusterSwitch(() => {
    for (const store of clusterStores) store.setState(store.getInitialState(), true);
  });
}
