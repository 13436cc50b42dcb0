/**
 * Which workflow the builder has open and which run the run view shows, and the moves between
 * them: "Run" in the builder opens the new run; "Open in builder" on a run opens its workflow.
 * Each move also switches the view, so any view can link to a workflow or a run.
 */
import { create } from 'zustand';
import { useViewStore } from '../state/viewStore.js';
import { onClusterSwitch } from '../desktop/clustersStore.js';

interface WorkflowNavigation {
  /** The workflow open in the builder (and the version shown); null for the list of workflows. */
  workflow: { name: string; version?: number } | null;
  /** The run the run view shows; null for the list of runs. */
  run: string | null;
  openWorkflow(workflow: { name: string; version?: number } | null): void;
  openRun(run: string | null): void;
}

export const useWorkflowNavigation = create<WorkflowNavigation>()((set) => ({
  workflow: null,
  run: null,
  openWorkflow(workflow) {
    set({ workflow });
    useViewStore.getState().show('Workflows');
  },
  openRun(run) {
    set({ run });
    useViewStore.getState().show('Runs');
  },
}));

/** Another cluster's workflows are not this one's: the desktop app's cluster switch starts over. */
onClusterSwitch(() => useWorkflowNavigation.setState(useWorkflowNavigation.getInitialState(), true));
