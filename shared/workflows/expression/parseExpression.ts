/**
 * The workflow expression language, for edge conditions, `map` lists and input templates. It is
 * parsed here and evaluated by `evaluateExpression`; nothing is ever handed to `eval`.
 *
 *   literals     1  2.5  'text'  "text"  true  false  null  [1, 2, 3]
 *   names        input  nodes  item  index   (which are allowed depends on where the expression is)
 *   members      input.customer.tier   nodes.fetch.output.items[0]   input['odd key']
 *   operators    !  -  *  /  %  +  -  <  <=  >  >=  in  ==  !=  &&  ||  ? :
 *   functions    len(x)  lower(s)  contains(list, x)  … (see expressionFunctions.ts)
 *
 * Bounds, so that hostile or careless input is refused quickly: at most `maximumSourceLength`
 * characters, `maximumNodes` syntax nodes and `maximumDepth` levels of nesting. The names
 * `__proto__`, `prototype` and `constructor` are refused as properties.
 */
import { ExpressionError } from './ExpressionError.js';
import type { BinaryOperator, ExpressionNode } from './ExpressionNode.js';
import { expressionFunctions } from './expressionFunctions.js';
import { tokenize, type Token } from './tokenize.js';

export const maximumSourceLength = 2_000;
export const maximumNodes = 500;
export const maximumDepth = 32;
export const forbiddenProperties: ReadonlySet<string> = new Set(['__proto__', 'prototype', 'constructor']);

/** Binding power of each binary operator: higher binds tighter. */
const precedence: Record<BinaryOperator, number> = {
  '||': 1,
  '&&': 2,
  '==': 3,
  '!=': 3,
  '<': 4,
  '<=': 4,
  '>': 4,
  '>=': 4,
  in: 4,
  '+': 5,
  '-': 5,
  '*': 6,
  '/': 6,
  '%': 6,
};

const keywordValues: Record<string, null | boolean> = { true: true, false: false, null: null };

export function parseExpression(source: string): ExpressionNode {
  if (source.length > maximumSourceLength) throw new ExpressionError(`expression is longer than ${maximumSourceLength} characters`);
  const parser = new Parser(tokenize(source));
  const tree = parser.conditional();
  parser.expectEnd();
  return tree;
}

class Parser {
  #at = 0;
  #nodes = 0;
  #depth = 0;

  constructor(private readonly tokens: Token[]) {}

  expectEnd(): void {
    const token = this.#peek();
    if (token.kind !== 'end') throw new ExpressionError(`unexpected ${describe(token)}`, token.position);
  }

  conditional(): ExpressionNode {
    const test = this.#binary(0);
    if (!this.#accept('?')) return test;
    const consequent = this.#nested(() => this.conditional());
    this.#expect(':');
    const alternate = this.#nested(() => this.conditional());
    return this.#count({ kind: 'conditional', test, consequent, alternate });
  }

  /** Operators of higher precedence than `minimum`; recursion is bounded by the number of precedence levels. */
  #binary(minimum: number): ExpressionNode {
    let left = this.#unary();
    for (;;) {
      const token = this.#peek();
      const operator = binaryOperator(token);
      if (!operator || precedence[operator] <= minimum) return left;
      this.#at += 1;
      const right = this.#binary(precedence[operator]);
      left = this.#count({ kind: 'binary', operator, left, right, position: token.position });
    }
  }

  #unary(): ExpressionNode {
    const token = this.#peek();
    if (token.kind === 'symbol' && (token.value === '!' || token.value === '-')) {
      this.#at += 1;
      return this.#count({ kind: 'unary', operator: token.value, operand: this.#nested(() => this.#unary()), position: token.position });
    }
    return this.#postfix(this.#primary());
  }

  #postfix(object: ExpressionNode): ExpressionNode {
    let current = object;
    for (;;) {
      const token = this.#peek();
      if (this.#accept('.')) {
        const name = this.#next();
        if (name.kind !== 'name') throw new ExpressionError(`expected a property name after '.', found ${describe(name)}`, name.position);
        current = this.#count({ kind: 'member', object: current, property: allowedProperty(name.value, name.position), position: name.position });
      } else if (this.#accept('[')) {
        const index = this.#nested(() => this.conditional());
        this.#expect(']');
        if (index.kind === 'literal' && typeof index.value === 'string') allowedProperty(index.value, token.position);
        current = this.#count({ kind: 'index', object: current, index, position: token.position });
      } else {
        return current;
      }
    }
  }

  #primary(): ExpressionNode {
    const token = this.#next();
    switch (token.kind) {
      case 'number':
      case 'string':
        return this.#count({ kind: 'literal', value: token.value });
      case 'name':
        if (token.value in keywordValues) return this.#count({ kind: 'literal', value: keywordValues[token.value]! });
        if (this.#accept('(')) return this.#call(token);
        return this.#count({ kind: 'name', name: token.value, position: token.position });
      case 'symbol':
        if (token.value === '(') {
          const inner = this.#nested(() => this.conditional());
          this.#expect(')');
          return inner;
        }
        if (token.value === '[') return this.#count({ kind: 'array', elements: this.#list(']') });
        break;
      case 'end':
        break;
    }
    throw new ExpressionError(`unexpected ${describe(token)}`, token.position);
  }

  #call(name: Extract<Token, { kind: 'name' }>): ExpressionNode {
    const definition = Object.hasOwn(expressionFunctions, name.value) ? expressionFunctions[name.value] : undefined;
    if (!definition) throw new ExpressionError(`unknown function ${name.value}(); known: ${Object.keys(expressionFunctions).join(', ')}`, name.position);
    const args = this.#list(')');
    const [fewest, most] = definition.arity;
    if (args.length < fewest || args.length > most) {
      const expected = fewest === most ? `${fewest}` : `${fewest} to ${most}`;
      throw new ExpressionError(`${name.value}() takes ${expected} argument${most === 1 ? '' : 's'}, got ${args.length}`, name.position);
    }
    return this.#count({ kind: 'call', callee: name.value, arguments: args, position: name.position });
  }

  /** Comma-separated expressions up to `close`, which is consumed. */
  #list(close: ')' | ']'): ExpressionNode[] {
    const items: ExpressionNode[] = [];
    if (this.#accept(close)) return items;
    do items.push(this.#nested(() => this.conditional()));
    while (this.#accept(','));
    this.#expect(close);
    return items;
  }

  /** Parses one level deeper: parentheses, lists, arguments, indexes, unary operands and branches each count. */
  #nested<T>(parse: () => T): T {
    this.#depth += 1;
    if (this.#depth > maximumDepth) throw new ExpressionError(`expression is nested deeper than ${maximumDepth} levels`, this.#peek().position);
    try {
      return parse();
    } finally {
      this.#depth -= 1;
    }
  }

  #count<T extends ExpressionNode>(node: T): T {
    this.#nodes += 1;
    if (this.#nodes > maximumNodes) throw new ExpressionError(`expression has more than ${maximumNodes} parts`);
    return node;
  }

  #peek(): Token {
    return this.tokens[this.#at]!;
  }

  #next(): Token {
    const token = this.tokens[this.#at]!;
    if (token.kind !== 'end') this.#at += 1;
    return token;
  }

  #accept(symbol: string): boolean {
    const token = this.#peek();
    if (token.kind !== 'symbol' || token.value !== symbol) return false;
    this.#at += 1;
    return true;
  }

  #expect(symbol: string): void {
    const token = this.#peek();
    if (!this.#accept(symbol)) throw new ExpressionError(`expected '${symbol}', found ${describe(token)}`, token.position);
  }
}

function binaryOperator(token: Token): BinaryOperator | undefined {
  if (token.kind === 'name' && token.value === 'in') return 'in';
  if (token.kind === 'symbol' && Object.hasOwn(precedence, token.value)) return token.value as BinaryOperator;
  return undefined;
}

function allowedProperty(name: string, position: number): string {
  if (forbiddenProperties.has(name)) throw new ExpressionError(`property ${name} is not allowed`, position);
  return name;
}

function describe(token: Token): string {
  if (token.kind === 'end') return 'end of expression';
  if (token.kind === 'string') return `string ${JSON.stringify(token.value)}`;
  return `'${String(token.value)}'`;
}
