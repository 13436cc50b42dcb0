/** The builder's editing state (renderer/src/workflows/builder/builderStore.ts): undo steps, selection, clipboard, saves. */
import { beforeEach, describe, expect, it } from 'vitest';
import { useBuilderStore } from '../../../../renderer/src/workflows/builder/builderStore.js';
import { connectNodes, updateNode } from '../../../../renderer/src/workflows/builder/definitionEdits.js';
import type { DraftDefinition } from '../../../../renderer/src/workflows/builder/draftDefinition.js';

const pair: DraftDefinition = {
  name: 'pair',
  nodes: [
    { id: 'a', kind: 'task', queue: 'jobs', type: 'a', input: {} },
    { id: 'b', kind: 'task', queue: 'jobs', type: 'b', input: {} },
  ],
  edges: [{ from: 'a', to: 'b' }],
};

const state = () => useBuilderStore.getState();
const ids = () => state().history.present.nodes.map((node) => node.id);

describe('builder store', () => {
  beforeEach(() => state().begin({ name: 'pair', version: 1, latestVersion: 1 }, pair));

  it('lays out a definition saved without positions when it opens, as the saved state', () => {
    expect(state().history.present.nodes.every((node) => node.position)).toBe(true);
    expect(state().savedDraft).toBe(state().history.present);
    expect(state().history.past).toEqual([]);
  });

  it('makes one undo step of typing in one field and another of the next field', () => {
    for (const queue of ['m', 'ma', 'mail']) state().edit((definition) => updateNode(definition, 'a', { queue }), 'a.queue');
    state().edit((definition) => updateNode(definition, 'a', { type: 'send' }), 'a.type');
    expect(state().history.past).toHaveLength(2);
    state().undo();
    expect(state().history.present.nodes[0]).toMatchObject({ queue: 'mail', type: 'a' });
    state().undo();
    expect(state().history.present.nodes[0]).toMatchObject({ queue: 'jobs' });
    state().redo();
    expect(state().history.present.nodes[0]).toMatchObject({ queue: 'mail' });
  });

  it('pastes copies under fresh ids, selected; an undo takes them and their selection away', () => {
    state().select(['a', 'b'], ['a->b']);
    state().copySelection();
    state().paste();
    expect(ids()).toEqual(['a', 'b', 'a_2', 'b_2']);
    expect(state().history.present.edges).toContainEqual({ from: 'a_2', to: 'b_2' });
    expect([...state().selectedNodes]).toEqual(['a_2', 'b_2']);
    state().undo();
    expect(ids()).toEqual(['a', 'b']);
    expect(state().selectedNodes.size).toBe(0);
  });

  it('deletes the selection as one step', () => {
    state().edit((definition) => connectNodes(definition, { from: 'b', to: 'a' }));
    state().select(['b']);
    state().deleteSelection();
    expect(ids()).toEqual(['a']);
    expect(state().history.present.edges).toEqual([]);
    state().undo();
    expect(ids()).toEqual(['a', 'b']);
    expect(state().history.present.edges).toHaveLength(2);
  });

  it('remembers what a save stored, so later changes are unsaved', () => {
    state().edit((definition) => updateNode(definition, 'b', { timeoutMs: 500 }));
    expect(state().history.present).not.toBe(state().savedDraft);
    const saved = state().history.present;
    state().saved(2, saved);
    expect(state().open).toEqual({ name: 'pair', version: 2, latestVersion: 2 });
    expect(state().savedDraft).toBe(saved);
  });

  it('focuses a node by selecting it, each request anew', () => {
    state().focusNode('b');
    const first = state().focus;
    state().focusNode('b');
    expect(state().focus!.id).toBe('b');
    expect(state().focus!.at).toBeGreaterThan(first!.at);
    expect([...state().selectedNodes]).toEqual(['b']);
  });
});
