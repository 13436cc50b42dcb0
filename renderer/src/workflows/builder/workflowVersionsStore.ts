/**
 * The builder's conversations with the agent about versions: open a workflow (`workflows.get`,
 * the latest or a given version), save the draft as a new version with a message
 * (`workflows.save`; a 400 lists every problem the agent found), the version history
 * (`workflows.versions`), and the diff of two versions (both loaded with `workflows.get`, drawn
 * by `diffGraph`).
 */
import { create } from 'zustand';
import type { ResponseOf } from '../../../../shared/api/client.js';
import { ApiError } from '../../../../shared/api/ApiError.js';
import { failureMessage } from '../../controls/failureMessage.js';
import { apiClient } from '../../state/sessionStore.js';
import { useWorkflowNavigation } from '../workflowNavigation.js';
import { onClusterSwitch } from '../../desktop/clustersStore.js';
import { useBuilderStore } from './builderStore.js';
import { diffGraph, type DiffGraph } from './diffGraph.js';
import { emptyDefinition, type DraftDefinition } from './draftDefinition.js';

export type VersionSummary = ResponseOf<'workflows.versions'>['versions'][number];

/** How a save ended: the new version, or the message and every problem the agent named. */
export type SaveOutcome = { ok: true; version: number } | { ok: false; message: string; issues: { field: string; message: string }[] };

export interface VersionDiff {
  from: number;
  to: number;
  graph: DiffGraph;
}

interface WorkflowVersionsState {
  loading: boolean;
  error: string | null;
  versions: VersionSummary[];
  diff: VersionDiff | null;
  /** Opens `name` (at `version`, or the latest) in the builder. */
  open(name: string, version?: number): Promise<void>;
  /** Opens an empty draft called `name`, or `definition` (an import), not yet saved. */
  startDraft(name: string, definition?: DraftDefinition): void;
  save(definition: DraftDefinition, message: string): Promise<SaveOutcome>;
  loadVersions(name: string): Promise<void>;
  openDiff(name: string, from: number, to: number): Promise<void>;
  closeDiff(): void;
}

export const useWorkflowVersionsStore = create<WorkflowVersionsState>()((set, get) => ({
  loading: false,
  error: null,
  versions: [],
  diff: null,
  async open(name, version) {
    set({ loading: true, error: null, versions: [], diff: null });
    try {
      const view = await apiClient.call('workflows.get', { params: { name }, query: version === undefined ? {} : { version } });
      useBuilderStore.getState().begin({ name, version: view.version, latestVersion: view.latestVersion }, view.definition);
      set({ loading: false });
      await get().loadVersions(name);
    } catch (error) {
      set({ loading: false, error: failureMessage(error) });
    }
  },
  startDraft(name, definition) {
    set({ loading: false, error: null, versions: [], diff: null });
    useBuilderStore.getState().begin({ name, version: null, latestVersion: null }, definition ?? emptyDefinition(name));
  },
  async save(definition, message) {
    try {
      const view = await apiClient.call('workflows.save', { body: { definition, message } });
      useBuilderStore.getState().saved(view.version, definition);
      // The builder now holds the latest version, whichever version it was opened at.
      useWorkflowNavigation.setState({ workflow: { name: view.name } });
      await get().loadVersions(view.name);
      return { ok: true, version: view.version };
    } catch (error) {
      return { ok: false, message: failureMessage(error), issues: error instanceof ApiError ? error.issues : [] };
    }
  },
  async loadVersions(name) {
    try {
      const { versions } = await apiClient.call('workflows.versions', { params: { name } });
      set({ versions });
    } catch (error) {
      set({ error: failureMessage(error) });
    }
  },
  async openDiff(name, from, to) {
    set({ error: null });
    try {
      const [before, after] = await Promise.all([
        apiClient.call('workflows.get', { params: { name }, query: { version: from } }),
        apiClient.call('workflows.get', { params: { name }, query: { version: to } }),
      ]);
      set({ diff: { from, to, graph: diffGraph(before.definition, after.definition) } });
    } catch (error) {
      set({ error: failureMessage(error) });
    }
  },
  closeDiff() {
    set({ diff: null });
  },
}));

/** Another cluster's workflows are not this one's: the desktop app's cluster switch starts over. */
onClusterSwitch(() => useWorkflowVersionsStore.setState(useWorkflowVersionsStore.getInitialState(), true));
