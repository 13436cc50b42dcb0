/** The workflow expression language: what it means, what it refuses, and that hostile input is refused by a bound. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExpressionError } from '../../../shared/workflows/expression/ExpressionError.js';
import { evaluateExpression, isTruthy, maximumSteps, type ExpressionScope } from '../../../shared/workflows/expression/evaluateExpression.js';
import { expressionReferences } from '../../../shared/workflows/expression/expressionReferences.js';
import { maximumDepth, maximumNodes, maximumSourceLength, parseExpression } from '../../../shared/workflows/expression/parseExpression.js';

const scope: ExpressionScope = {
  input: { customer: { tier: 'gold', name: 'Ada' }, total: 120, items: [{ sku: 'a1' }, { sku: 'b2' }], coupon: null, tags: ['vip', 'eu'] },
  nodes: { fetch: { output: { status: 200, body: 'ok' } } },
};
const run = (source: string, values: ExpressionScope = scope) => evaluateExpression(parseExpression(source), values);
const refusal = (action: () => unknown): string => {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ExpressionError);
    return (error as Error).message;
  }
  throw new Error('expected an ExpressionError');
};

describe('evaluating expressions', () => {
  it.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 % 4 - -1', 3],
    ["'a' + \"b\"", 'ab'],
    ['input.customer.tier == "gold"', true],
    ['input.total > 100 && input.customer.tier != "silver"', true],
    ['input.coupon == null', true],
    ['input.missing.deeper == null', true],
    ['input.items[1].sku', 'b2'],
    ['input.items[-1].sku', 'b2'],
    ['input.items[5]', null],
    ["input['customer']['name']", 'Ada'],
    ['input.items.length', 2],
    ['"vip" in input.tags', true],
    ['"tier" in input.customer', true],
    ['"da" in input.customer.name', true],
    ['[1, 2] == [1, 2]', true],
    ['input.customer == input.customer', true],
    ['input.total >= 120 ? "big" : "small"', 'big'],
    ['!input.coupon', true],
    ['0 || ""', false],
    ['len(input.tags) + len("abc") + len(input.customer)', 7],
    ['upper(lower(trim("  MiXeD ")))', 'MIXED'],
    ['contains([[1], [2]], [2]) && contains(input.tags, "eu") && !contains("abc", "d")', true],
    ['startsWith(input.customer.name, "A") && endsWith(input.customer.name, "a")', true],
    ['keys(input.customer)', ['tier', 'name']],
    ['number("42") + min(3, 4) + max(1, 2) + abs(-1) + floor(1.7) + ceil(1.2) + round(2.5)', 42 + 3 + 2 + 1 + 1 + 2 + 3],
    ['string(input.tags)', '["vip","eu"]'],
    ['nodes.fetch.output.status == 200', true],
    ["nodes['fetch'].output.body", 'ok'],
    ['"line\\n\\u0041"', 'line\nA'],
  ])('%s', (source, expected) => {
    expect(run(source)).toEqual(expected);
  });

  it('treats null, false, 0 and the empty string as false, and everything else as true', () => {
    expect([null, false, 0, '', [], {}, 'x', 1].map(isTruthy)).toEqual([false, false, false, false, true, true, true, true]);
  });

  it.each([
    ['input.total + "x"', "'+' adds two numbers or joins two strings, got number and string"],
    ['input.tags + input.tags', "'+' adds two numbers or joins two strings, got list and list"],
    ['1 / 0', 'not a finite number'],
    ['input.total.value', 'cannot read .value of a number'],
    ['input.tags.first', 'cannot read .first of a list'],
    ['input.tags["0"]', 'a list index must be a whole number'],
    ['"a" < 1', "'<' compares two numbers or two strings"],
    ['-"a"', "'-' needs a number"],
    ['secret', 'unknown name secret'],
    ['number("twelve")', 'number() cannot read string'],
    ['len(1)', 'len() needs a string, list or object'],
  ])('refuses %s', (source, message) => {
    expect(refusal(() => run(source))).toContain(message);
  });
});

describe('parsing expressions', () => {
  it.each([
    ['input.', "expected a property name after '.'"],
    ['1 +', 'unexpected end of expression'],
    ['(1', "expected ')'"],
    ['1 2', "unexpected '2'"],
    ['"open', 'string is not closed'],
    ['a # b', 'unexpected character "#"'],
    ['eval("1")', 'unknown function eval()'],
    ['len()', 'len() takes 1 argument, got 0'],
    ['"\\x41"', 'unknown escape \\x'],
  ])('refuses %s', (source, message) => {
    expect(refusal(() => parseExpression(source))).toContain(message);
  });

  it('names the character where the problem is', () => {
    expect(refusal(() => parseExpression('input.total > > 3'))).toContain('(at character 15)');
  });

  it('collects the names and node ids an expression reads', () => {
    const references = expressionReferences(parseExpression('nodes.a.output + nodes["b"].output > input.limit ? item : index'));
    expect([...references.names].sort()).toEqual(['index', 'input', 'item', 'nodes']);
    expect([...references.nodes].sort()).toEqual(['a', 'b']);
    expect(references.dynamicNodeAccess).toBe(false);
    expect(expressionReferences(parseExpression('nodes[input.which]')).dynamicNodeAccess).toBe(true);
  });
});

describe('hostile expressions', () => {
  it.each(['input.__proto__', 'input.constructor', 'input["__proto__"]', "input['constructor'].name", 'nodes.prototype'])('refuses prototype access in %s when parsing', (source) => {
    expect(refusal(() => parseExpression(source))).toMatch(/property (__proto__|constructor|prototype) is not allowed/);
  });

  it('refuses prototype access through a computed key when evaluating', () => {
    expect(refusal(() => run('input[lower("__PROTO__")]'))).toContain('property __proto__ is not allowed');
    expect(refusal(() => run('input["const" + "ructor"]'))).toContain('property constructor is not allowed');
  });

  it('never reads inherited properties', () => {
    expect(run('input.toString')).toBeNull();
    expect(run('input.hasOwnProperty')).toBeNull();
    expect(run('"x" in input')).toBe(false);
    expect(run('"toString" in input')).toBe(false);
  });

  it('refuses deep nesting with a message, not a stack overflow', () => {
    for (const source of ['('.repeat(10_000) + '1' + ')'.repeat(10_000), '!'.repeat(10_000) + 'true', '-'.repeat(1_000) + '1', '['.repeat(1_000) + ']'.repeat(1_000)]) {
      expect(refusal(() => parseExpression(source.slice(0, maximumSourceLength)))).toMatch(/nested deeper than|more than/);
    }
    expect(run('('.repeat(maximumDepth - 1) + '1' + ')'.repeat(maximumDepth - 1))).toBe(1);
  });

  it('refuses a huge source and too many parts', () => {
    expect(refusal(() => parseExpression('1'.repeat(maximumSourceLength + 1)))).toContain(`longer than ${maximumSourceLength} characters`);
    expect(refusal(() => parseExpression(Array.from({ length: 400 }, () => '1').join('+')))).toContain(`more than ${maximumNodes} parts`);
  });

  it('bounds the work on huge inputs', () => {
    const big = Array.from({ length: 300_000 }, (_, at) => at);
    expect(refusal(() => run('input.list == input.copy', { input: { list: big, copy: [...big] } }))).toContain(`more than ${maximumSteps} steps`);
    const deep = () => JSON.parse('['.repeat(5_000) + ']'.repeat(5_000)) as never;
    expect(refusal(() => run('input.a == input.b', { input: { a: deep(), b: deep() } }))).toContain('nested deeper than 256 levels');
    expect(run('len(input.list)', { input: { list: big } })).toBe(300_000);
  });

  it('throws only ExpressionError for any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (source) => {
        try {
          run(source);
        } catch (error) {
          if (!(error instanceof ExpressionError)) throw error;
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('throws only ExpressionError for token soup', () => {
    const token = fc.constantFrom('input', 'nodes', '.', '[', ']', '(', ')', '1', '"a"', '+', '-', '!', '==', '&&', '?', ':', ',', 'len', 'in', '__proto__', 'tags', 'customer');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 60 }), (tokens) => {
        try {
          run(tokens.join(' '));
        } catch (error) {
          if (!(error instanceof ExpressionError)) throw error;
        }
      }),
      { numRuns: 2_000 },
    );
  });
});
