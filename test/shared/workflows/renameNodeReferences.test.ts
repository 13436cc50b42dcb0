/** Rewriting node references in expressions and templates (shared/workflows/renameNodeReferences.ts). */
import { describe, expect, it } from 'vitest';
import { renameInExpression, renameInTemplate } from '../../../shared/workflows/renameNodeReferences.js';

const renames = new Map([
  ['fetch', 'load'],
  ['a', 'alpha'],
]);

describe('renaming node references', () => {
  it('rewrites nodes.<id> and nodes[<id>] reads, keeping everything else as written', () => {
    expect(renameInExpression('nodes.fetch.output.paid  ==  true', renames)).toBe('nodes.load.output.paid  ==  true');
    expect(renameInExpression("nodes['fetch'].output + nodes.a.output", renames)).toBe("nodes['load'].output + nodes.alpha.output");
    expect(renameInExpression('nodes["a"].output', renames)).toBe('nodes["alpha"].output');
  });

  it('leaves names that are not node reads, other nodes, and expressions that do not tokenize alone', () => {
    expect(renameInExpression('input.fetch + fetch + nodes.fetched.output + item.nodes', renames)).toBe('input.fetch + fetch + nodes.fetched.output + item.nodes');
    expect(renameInExpression("nodes.fetch.output == 'nodes.fetch'", renames)).toBe("nodes.load.output == 'nodes.fetch'");
    expect(renameInExpression('nodes.fetch.output == "unterminated', renames)).toBe('nodes.fetch.output == "unterminated');
  });

  it('rewrites every {{ }} of a template, in strings nested in lists and objects, and answers the same value when nothing changed', () => {
    const template = { body: '{{ nodes.fetch.output.body }}', note: 'from {{nodes.a.output}} and {{ input.x }}', list: ['{{ nodes.fetch.output }}', 3, null], keep: { deep: 'plain' } };
    expect(renameInTemplate(template, renames)).toEqual({
      body: '{{ nodes.load.output.body }}',
      note: 'from {{nodes.alpha.output}} and {{ input.x }}',
      list: ['{{ nodes.load.output }}', 3, null],
      keep: { deep: 'plain' },
    });
    const untouched = { keep: ['{{ input.x }}'], n: 1 };
    expect(renameInTemplate(untouched, renames)).toBe(untouched);
  });
});
