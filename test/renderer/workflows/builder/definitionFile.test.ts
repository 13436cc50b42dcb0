/** Import and export of definitions as JSON files (renderer/src/workflows/builder/definitionFile.ts). */
import { describe, expect, it } from 'vitest';
import { exportDefinitionText, exportFileName, parseDefinitionText } from '../../../../renderer/src/workflows/builder/definitionFile.js';
import type { DraftDefinition } from '../../../../renderer/src/workflows/builder/draftDefinition.js';

const draft: DraftDefinition = {
  name: 'order',
  description: 'charge, then notify',
  nodes: [
    { id: 'charge', kind: 'task', queue: 'jobs', type: 'charge', input: { total: '{{ input.total }}' }, retry: { maxAttempts: 3 }, position: { x: 1, y: 2 } },
    { id: 'route', kind: 'branch', position: { x: 200, y: 2 } },
  ],
  edges: [{ from: 'charge', to: 'route', when: 'nodes.charge.output.ok' }],
};

describe('definition files', () => {
  it('exports a draft that imports back the same', () => {
    const text = exportDefinitionText(draft);
    expect(exportFileName(draft)).toBe('order.workflow.json');
    const imported = parseDefinitionText(text);
    expect(imported).toEqual({ ok: true, definition: draft });
  });

  it('imports a definition with graph problems (they show in the Problems panel)', () => {
    const cyclic = { name: 'loop', nodes: [{ id: 'a', kind: 'branch' }, { id: 'b', kind: 'branch' }], edges: [{ from: 'a', to: 'b' }, { from: 'b', to: 'a' }] };
    expect(parseDefinitionText(JSON.stringify(cyclic)).ok).toBe(true);
  });

  it('refuses text that is not JSON, naming the file and what the parser found', () => {
    const result = parseDefinitionText('{"name": "order", nodes: []}', 'order.json');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/^order\.json is not JSON: .+\. Nothing was imported\.$/);
  });

  it('refuses JSON that is not a definition, naming each wrong field', () => {
    const wrong = parseDefinitionText(JSON.stringify({ name: 'bad name!', nodes: [{ id: 'a', kind: 'rocket' }], extra: 1 }));
    expect(wrong.ok).toBe(false);
    const message = wrong.ok ? '' : wrong.message;
    expect(message).toContain('is not a workflow definition');
    expect(message).toContain('name: name must be 1–64 letters');
    expect(message).toContain('nodes[0].kind');
    expect(message).toMatch(/extra/);
    expect(parseDefinitionText('[1, 2]').ok).toBe(false);
    expect(parseDefinitionText('null').ok).toBe(false);
  });

  it('names at most five problems and counts the rest', () => {
    const nodes = Array.from({ length: 8 }, (_, at) => ({ id: `n${at}`, kind: 'task' }));
    const result = parseDefinitionText(JSON.stringify({ name: 'many', nodes }));
    expect(!result.ok && result.message).toMatch(/\(and \d+ more\)/);
  });
});
