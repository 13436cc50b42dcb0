/**
 * The builder's editing state: the draft of the open workflow under undo/redo, what is selected
 * on the canvas, the clipboard, and the sizes React Flow measured. Every change goes through
 * `edit`, one undo step; a keyed edit continues the previous edit with the same key (typing in
 * one field, one drag; see `editHistory.ts`). The changes themselves are the pure functions of
 * `definitionEdits.ts`, `nodeClipboard.ts` and `placeNodes.ts`; this store only keeps results.
 */
import { create } from 'zustand';
import { onClusterSwitch } from '../../desktop/clustersStore.js';
import { record, redo, settle, startHistory, undo, type EditHistory } from './editHistory.js';
import { removeElements } from './definitionEdits.js';
import { emptyDefinition, type DraftDefinition } from './draftDefinition.js';
import { edgeEndsOf, selectionWithin } from './flowElements.js';
import { copyNodes, pasteNodes, type ClipboardContent } from './nodeClipboard.js';
import { placeUnpositioned } from './placeNodes.js';

/** The open workflow: its name, the version the draft started from (null: never saved), the latest saved version. */
export interface OpenWorkflow {
  name: string;
  version: number | null;
  latestVersion: number | null;
}

interface BuilderState {
  open: OpenWorkflow | null;
  history: EditHistory<DraftDefinition>;
  /** The draft as last saved or opened from a saved version (null: never saved); unsaved changes when the present is another object. */
  savedDraft: DraftDefinition | null;
  /** Selected node ids and flow edge ids (`from->to`). */
  selectedNodes: ReadonlySet<string>;
  selectedEdges: ReadonlySet<string>;
  clipboard: ClipboardContent | null;
  /** Why the last paste pasted nothing (damaged clipboard text), until the next copy or paste. */
  clipboardProblem: string | null;
  measured: ReadonlyMap<string, { width: number; height: number }>;
  /** A node id to bring into view (the Problems panel asks), with a counter so the same id can be asked twice. */
  focus: { id: string; at: number } | null;
  /** Starts editing `definition` as the draft of `open`, with a fresh history. */
  begin(open: OpenWorkflow, definition: DraftDefinition): void;
  close(): void;
  edit(change: (definition: DraftDefinition) => DraftDefinition, key?: string): void;
  undo(): void;
  redo(): void;
  select(nodes: Iterable<string>, edges?: Iterable<string>): void;
  deleteSelection(): void;
  /** Copies the selected nodes into the builder's clipboard; answers the copy (null when nothing is selected). */
  copySelection(): ClipboardContent | null;
  /** Pastes the builder's clipboard. */
  paste(): void;
  /** Pastes `content` (read from the system clipboard), which becomes the builder's clipboard too. */
  pasteContent(content: ClipboardContent): void;
  setClipboardProblem(problem: string | null): void;
  setMeasured(sizes: ReadonlyMap<string, { width: number; height: number }>): void;
  focusNode(id: string): void;
  /** After a save of `definition`: it is now `version`, the latest. */
  saved(version: number, definition: DraftDefinition): void;
}

const nothing: ReadonlySet<string> = new Set();

/** `history` as the new history, with the selection narrowed to what its present still has. */
function withHistory(state: BuilderState, history: EditHistory<DraftDefinition>): Partial<BuilderState> {
  if (history === state.history) return {};
  const selection = selectionWithin(history.present, state.selectedNodes, state.selectedEdges);
  return { history, selectedNodes: selection.nodes, selectedEdges: selection.edges };
}

export const useBuilderStore = create<BuilderState>()((set, get) => ({
  open: null,
  history: startHistory(emptyDefinition('')),
  savedDraft: null,
  selectedNodes: nothing,
  selectedEdges: nothing,
  clipboard: null,
  clipboardProblem: null,
  measured: new Map(),
  focus: null,
  begin(open, definition) {
    const placed = placeUnpositioned(definition);
    set({ open, history: startHistory(placed), savedDraft: open.version === null ? null : placed, selectedNodes: nothing, selectedEdges: nothing, measured: new Map(), focus: null });
  },
  close() {
    set({ open: null, selectedNodes: nothing, selectedEdges: nothing, focus: null });
  },
  edit(change, key) {
    set((state) => withHistory(state, record(state.history, change(state.history.present), key)));
  },
  undo() {
    set((state) => withHistory(state, undo(state.history)));
  },
  redo() {
    set((state) => withHistory(state, redo(state.history)));
  },
  select(nodes, edges = []) {
    set({ selectedNodes: new Set(nodes), selectedEdges: new Set(edges) });
  },
  deleteSelection() {
    const { selectedNodes, selectedEdges } = get();
    get().edit((definition) => removeElements(definition, selectedNodes, [...selectedEdges].map(edgeEndsOf)));
    set({ selectedNodes: nothing, selectedEdges: nothing });
  },
  copySelection() {
    const { selectedNodes, history } = get();
    if (selectedNodes.size === 0) return null;
    const clipboard = copyNodes(history.present, selectedNodes);
    set({ clipboard, clipboardProblem: null });
    return clipboard;
  },
  paste() {
    const { clipboard } = get();
    if (clipboard) get().pasteContent(clipboard);
  },
  pasteContent(content) {
    const { history } = get();
    const pasted = pasteNodes(history.present, content);
    set({ clipboard: content, clipboardProblem: null, history: record(history, pasted.definition), selectedNodes: new Set(pasted.pastedIds), selectedEdges: nothing });
  },
  setClipboardProblem(problem) {
    set({ clipboardProblem: problem });
  },
  setMeasured(sizes) {
    set({ measured: sizes });
  },
  focusNode(id) {
    set({ focus: { id, at: (get().focus?.at ?? 0) + 1 }, selectedNodes: new Set([id]), selectedEdges: nothing });
  },
  saved(version, definition) {
    // Typing on after a save is a new undo step: one undo goes back to the saved version, not past it.
    set((state) => (state.open ? { open: { ...state.open, version, latestVersion: version }, savedDraft: definition, history: settle(state.history) } : {}));
  },
}));

/** Another cluster's workflows are not this one's: the desktop app's cluster switch starts over. */
onClusterSwitch(() => useBuilderStore.setState(useBuilderStore.getInitialState(), true));

/** Whether the draft has changes not saved as a version (never for a role that cannot save). */
export function hasUnsavedChanges(state: Pick<BuilderState, 'open' | 'history' | 'savedDraft'>, canWrite: boolean): boolean {
  if (!canWrite || !state.open) return false;
  return state.open.version === null ? state.history.past.length > 0 : state.history.present !== state.savedDraft;
}
