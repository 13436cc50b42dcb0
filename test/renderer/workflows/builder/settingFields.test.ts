/** Typed settings: JSON and numbers (jsonText.ts), nested settings (nestedSetting.ts), problems by setting (settingProblems.ts). */
import { describe, expect, it } from 'vitest';
import { validateWorkflow } from '../../../../shared/workflows/validateWorkflow.js';
import { parseJsonText, parseWholeNumber } from '../../../../renderer/src/workflows/builder/jsonText.js';
import { nestedSetting, withNestedSetting } from '../../../../renderer/src/workflows/builder/nestedSetting.js';
import { settingProblems } from '../../../../renderer/src/workflows/builder/settingProblems.js';

describe('typed settings', () => {
  it('parses JSON or says which field is wrong and why', () => {
    expect(parseJsonText('{"a": [1, null]}', 'Run input')).toEqual({ ok: true, value: { a: [1, null] } });
    expect(parseJsonText('"text"', 'Run input')).toEqual({ ok: true, value: 'text' });
    const broken = parseJsonText('{"a": ', 'Run input');
    expect(broken.ok).toBe(false);
    expect(!broken.ok && broken.message).toMatch(/^Run input: not valid JSON \(.+\)$/);
    expect(parseJsonText('  ', 'Input template')).toEqual({ ok: false, message: 'Input template: empty; write a JSON value, e.g. {}' });
  });

  it('parses whole numbers in bounds; empty means not set', () => {
    expect(parseWholeNumber('30', 'Timeout', 1, 100)).toEqual({ ok: true, value: 30 });
    expect(parseWholeNumber('', 'Timeout', 1, 100)).toEqual({ ok: true, value: undefined });
    for (const text of ['0', '101', '1.5', 'ten']) expect(parseWholeNumber(text, 'Timeout', 1, 100)).toEqual({ ok: false, message: 'Timeout: a whole number from 1 to 100' });
  });

  it('sets nested settings and drops objects left empty', () => {
    const retry = withNestedSetting(undefined, ['backoff', 'delayMs'], 500);
    expect(retry).toEqual({ backoff: { delayMs: 500 } });
    const more = withNestedSetting(retry, ['maxAttempts'], 3);
    expect(more).toEqual({ backoff: { delayMs: 500 }, maxAttempts: 3 });
    expect(nestedSetting(more, ['backoff', 'delayMs'])).toBe(500);
    expect(nestedSetting(undefined, ['backoff', 'kind'])).toBeUndefined();
    expect(withNestedSetting(withNestedSetting(more, ['maxAttempts'], undefined), ['backoff', 'delayMs'], undefined)).toBeUndefined();
    expect(retry).toEqual({ backoff: { delayMs: 500 } });
  });

  it("files the validator's problems under the setting of the node or edge they are about", () => {
    const validation = validateWorkflow({
      name: 'w',
      nodes: [
        { id: 'a', kind: 'task', queue: 'jobs', type: 'a', input: { x: '{{ nodes.zzz.output }}' } },
        { id: 'b', kind: 'map', queue: '', type: 'b', over: 'item +' },
      ],
      edges: [{ from: 'a', to: 'b', when: 'input.' }],
    });
    expect(validation.valid).toBe(false);
    const first = settingProblems(validation.problems, 'nodes', 1);
    expect([...first.keys()]).toEqual(['queue']);
    const edge = settingProblems([{ nodeIds: ['a', 'b'], path: 'edges[0].when', message: 'bad expression' }], 'edges', 0);
    expect(edge.get('when')).toBe('bad expression');
    const joined = settingProblems(
      [
        { nodeIds: ['a'], path: 'nodes[0].input.x', message: 'one' },
        { nodeIds: ['a'], path: 'nodes[0].input.y', message: 'two' },
        { nodeIds: ['a'], path: 'nodes[10].input', message: 'other node' },
      ],
      'nodes',
      0,
    );
    expect(joined).toEqual(new Map([['input', 'one; two']]));
  });
});
