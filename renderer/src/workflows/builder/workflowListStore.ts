/**
 * The Workflows view's list: every saved workflow with its latest version, node count and last
 * change (`workflows.list`), sorted by name; and deleting one with all its versions
 * (`workflows.delete`, refused with 409 while a run of it is running or paused). A delete throws
 * on failure, so its button can say why; the list reloads after it.
 */
import { create } from 'zustand';
import type { ResponseOf } from '../../../../shared/api/client.js';
import { failureMessage } from '../../controls/failureMessage.js';
import { apiClient } from '../../state/sessionStore.js';
import { onClusterSwitch } from '../../desktop/clustersStore.js';

export type WorkflowSummary = ResponseOf<'workflows.list'>['workflows'][number];

interface WorkflowListState {
  workflows: WorkflowSummary[];
  loaded: boolean;
  error: string | null;
  load(): Promise<void>;
  remove(name: string): Promise<void>;
}

export const useWorkflowListStore = create<WorkflowListState>()((set, get) => ({
  workflows: [],
  loaded: false,
  error: null,
  async load() {
    try {
      const { workflows } = await apiClient.call('workflows.list', {});
      set({ workflows: [...workflows].sort((left, right) => left.name.localeCompare(right.name)), loaded: true, error: null });
    } catch (error) {
      set({ error: failureMessage(error), loaded: true });
    }
  },
  async remove(name) {
    await apiClient.call('workflows.delete', { params: { name } });
    await get().load();
  },
}));

/** Another cluster's workflows are not this one's: the desktop app's cluster switch starts over. */
onClusterSwitch(() => useWorkflowListStore.setState(useWorkflowListStore.getInitialState(), true));
