/** Input templates: whole-string expressions keep their type, mixed strings interpolate, errors name the path. */
import { describe, expect, it } from 'vitest';
import { renderTemplate, templateExpressions } from '../../../shared/workflows/inputTemplate.js';

const scope = { input: { id: 7, tags: ['a', 'b'], name: 'Ada' }, nodes: { fetch: { output: { ok: true } } } };

describe('input templates', () => {
  it('keeps the type of a whole-string expression and interpolates the rest', () => {
    const template = {
      id: '{{ input.id }}',
      tags: '{{input.tags}}',
      ok: ' {{ nodes.fetch.output.ok }}',
      text: 'order {{ input.id }} for {{ upper(input.name) }} tagged {{ input.tags }}',
      nested: [{ plain: 'no expressions', number: 3, nothing: null }],
    };
    expect(renderTemplate(template, scope)).toEqual({
      id: 7,
      tags: ['a', 'b'],
      ok: ' true',
      text: 'order 7 for ADA tagged ["a","b"]',
      nested: [{ plain: 'no expressions', number: 3, nothing: null }],
    });
  });

  it('lists every expression with its path', () => {
    expect(templateExpressions({ a: '{{ input.id }}', b: ['x {{ item }} {{ index }}'] })).toEqual([
      { path: '$.a', source: 'input.id' },
      { path: '$.b[0]', source: 'item' },
      { path: '$.b[0]', source: 'index' },
    ]);
  });

  it('names the path of a failing expression', () => {
    expect(() => renderTemplate({ lines: [{ sku: '{{ input.id + "x" }}' }] }, scope)).toThrow(/^\$\.lines\[0\]\.sku: '\+' adds two numbers or joins two strings/);
  });

  it('never templates object keys and keeps a "__proto__" key as plain data', () => {
    const rendered = renderTemplate(JSON.parse('{"__proto__": "{{ input.id }}", "{{ input.id }}": 1}') as never, scope) as Record<string, unknown>;
    expect(Object.keys(rendered)).toEqual(['__proto__', '{{ input.id }}']);
    expect(Object.getPrototypeOf(rendered)).toBe(Object.prototype);
    expect(rendered['__proto__']).toBe(7);
  });
});
