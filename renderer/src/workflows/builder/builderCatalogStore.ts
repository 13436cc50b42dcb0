/**
 * What the builder checks a draft against and offers in its palette: the queues that exist
 * (`queues.list`, for the validator's `queueExists`) and the task types workers announce on each
 * queue (`workers.list`, for `taskTypeExists` and the palette's groups). Loaded when the builder
 * opens and on Refresh.
 */
import { create } from 'zustand';
import { announcedTaskTypeCheck, announcedTaskTypes } from '../../../../shared/workflows/announcedTaskTypes.js';
import type { ValidationOptions } from '../../../../shared/workflows/validateWorkflow.js';
import { failureMessage } from '../../controls/failureMessage.js';
import { apiClient } from '../../state/sessionStore.js';
import { onClusterSwitch } from '../../desktop/clustersStore.js';
import { paletteGroups, type PaletteGroup } from './paletteGroups.js';

interface BuilderCatalogState {
  /** What the validator checks against; empty until loaded (it does not check what it cannot know). */
  checks: ValidationOptions;
  groups: PaletteGroup[];
  error: string | null;
  load(): Promise<void>;
}

export const useBuilderCatalogStore = create<BuilderCatalogState>()((set) => ({
  checks: {},
  groups: [],
  error: null,
  async load() {
    try {
      const [{ queues }, { workers }] = await Promise.all([apiClient.call('queues.list', {}), apiClient.call('workers.list', {})]);
      const names = new Set(queues.map((queue) => queue.definition.name));
      set({
        checks: { queueExists: (queue) => names.has(queue), taskTypeExists: announcedTaskTypeCheck(announcedTaskTypes(workers)) },
        groups: paletteGroups(workers),
        error: null,
      });
    } catch (error) {
      set({ error: failureMessage(error) });
    }
  },
}));

/** Another cluster's workflows are not this one's: the desktop app's cluster switch starts over. */
onClusterSwitch(() => useBuilderCatalogStore.setState(useBuilderCatalogStore.getInitialState(), true));
