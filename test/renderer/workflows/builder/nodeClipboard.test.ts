/** Copy and paste of nodes (renderer/src/workflows/builder/nodeClipboard.ts). */
import { describe, expect, it } from 'vitest';
import type { DraftDefinition } from '../../../../renderer/src/workflows/builder/draftDefinition.js';
import { clipboardFormat, clipboardText, copyNodes, parseClipboardText, pasteNodes } from '../../../../renderer/src/workflows/builder/nodeClipboard.js';

const diamond: DraftDefinition = {
  name: 'd',
  nodes: ['a', 'b', 'c', 'd'].map((id, at) => ({ id, kind: 'task' as const, queue: 'jobs', type: id, input: {}, position: { x: at * 100, y: 0 } })),
  edges: [
    { from: 'a', to: 'b' },
    { from: 'a', to: 'c', when: 'input.go' },
    { from: 'b', to: 'd' },
    { from: 'c', to: 'd' },
  ],
};

describe('node clipboard', () => {
  it('copies the chosen nodes and only the edges between them', () => {
    const copied = copyNodes(diamond, ['a', 'c']);
    expect(copied.nodes.map((node) => node.id)).toEqual(['a', 'c']);
    expect(copied.edges).toEqual([{ from: 'a', to: 'c', when: 'input.go' }]);
  });

  it('pastes under fresh ids, keeps the copied edges between the new ids and offsets the positions', () => {
    const { definition, pastedIds } = pasteNodes(diamond, copyNodes(diamond, ['a', 'c']));
    expect(pastedIds).toEqual(['a_2', 'c_2']);
    expect(definition.nodes).toHaveLength(6);
    expect(definition.edges!.slice(4)).toEqual([{ from: 'a_2', to: 'c_2', when: 'input.go' }]);
    expect(definition.nodes.find((node) => node.id === 'c_2')!.position).toEqual({ x: 240, y: 40 });
    expect(diamond.nodes).toHaveLength(4);
    const again = pasteNodes(definition, copyNodes(diamond, ['a']));
    expect(again.pastedIds).toEqual(['a_3']);
  });

  it('points the reads of copied nodes at their pasted copies and leaves reads of nodes left behind', () => {
    const reading: DraftDefinition = {
      ...diamond,
      nodes: diamond.nodes.map((node) => (node.id === 'c' ? { ...node, input: { from: '{{ nodes.a.output }}', also: '{{ nodes.b.output }}' } } : node)),
      edges: diamond.edges!.map((edge) => (edge.from === 'a' && edge.to === 'c' ? { ...edge, when: 'nodes.a.output.ok' } : edge)),
    };
    const { definition } = pasteNodes(reading, copyNodes(reading, ['a', 'c']));
    expect(definition.nodes.find((node) => node.id === 'c_2')).toMatchObject({ input: { from: '{{ nodes.a_2.output }}', also: '{{ nodes.b.output }}' } });
    expect(definition.edges!.at(-1)).toEqual({ from: 'a_2', to: 'c_2', when: 'nodes.a_2.output.ok' });
    expect(definition.nodes.find((node) => node.id === 'c')).toMatchObject({ input: { from: '{{ nodes.a.output }}' } });
  });

  it('pastes nothing from an empty clipboard', () => {
    expect(pasteNodes(diamond, { nodes: [], edges: [] }).definition).toBe(diamond);
  });

  it('round-trips a copy through clipboard text, half-drawn nodes included', () => {
    const draft: DraftDefinition = { ...diamond, nodes: [...diamond.nodes, { id: 'unfinished', kind: 'task', queue: '', type: '', input: {} }] };
    const copied = copyNodes(draft, ['a', 'c', 'unfinished']);
    expect(parseClipboardText(clipboardText(copied))).toEqual({ ok: true, content: copied });
  });

  it('leaves other clipboard text alone, and names what is wrong with a damaged copy', () => {
    expect(parseClipboardText('just some text')).toBeNull();
    expect(parseClipboardText('{"nodes": []}')).toBeNull();
    expect(parseClipboardText('[1, 2]')).toBeNull();
    const damaged = parseClipboardText(JSON.stringify({ format: clipboardFormat, nodes: [{ id: 'ok', kind: 'task' }, { id: '9lives', kind: 'task' }], edges: [] }));
    expect(damaged).toEqual({ ok: false, message: expect.stringContaining('nodes[1].id: must be a node id') });
    expect((damaged as { message: string }).message).toContain('Nothing was pasted');
    const unknownKind = parseClipboardText(JSON.stringify({ format: clipboardFormat, nodes: [{ id: 'x', kind: 'lambda' }] }));
    expect(unknownKind).toMatchObject({ ok: false, message: expect.stringContaining('nodes[0].kind') });
  });
});
