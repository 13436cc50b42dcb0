/**
 * Evaluates a parsed expression against a scope of JSON values (`input`, `nodes`, `item`, …).
 *
 * Semantics, chosen so a condition written by a workflow author either means what it says or
 * fails with a message:
 * - reading a property that is missing, or any property of `null`, gives `null` (so
 *   `input.coupon == null` tests for absence); reading a property of a number, string or boolean
 *   is an error; only own properties are read, and `__proto__`, `prototype`, `constructor` never;
 * - `&&`, `||`, `!` and `? :` use truthiness: `null`, `false`, `0` and `''` are false, everything
 *   else (including `[]` and `{}`) is true; `&&` and `||` give `true` or `false`;
 * - `==` and `!=` compare JSON values structurally; `<`, `<=`, `>`, `>=` compare two numbers or two
 *   strings; `+` adds numbers or joins strings (lists and objects are refused), `-`, `*`, `/`, `%`
 *   take numbers; a result that is not a finite number is an error;
 * - `x in list` tests membership, `key in object` an own key, `part in string` a substring.
 * Work is bounded: at most `maximumSteps` steps (structural comparison counts each value it
 * visits and goes at most `maximumComparisonDepth` levels deep) and strings of at most
 * `maximumStringLength` characters.
 */
import { ExpressionError } from './ExpressionError.js';
import type { ExpressionNode } from './ExpressionNode.js';
import { expressionFunctions } from './expressionFunctions.js';
import { isJsonObject, typeName, type JsonValue } from './JsonValue.js';
import { forbiddenProperties } from './parseExpression.js';

export const maximumSteps = 100_000;
export const maximumStringLength = 1_000_000;
export const maximumComparisonDepth = 256;

export type ExpressionScope = Readonly<Record<string, JsonValue>>;

export function evaluateExpression(tree: ExpressionNode, scope: ExpressionScope): JsonValue {
  return new Evaluation(scope).evaluate(tree);
}

/** Whether `value` counts as true in a condition. */
export function isTruthy(value: JsonValue): boolean {
  return !(value === null || value === false || value === 0 || value === '');
}

class Evaluation {
  #steps = 0;

  constructor(private readonly scope: ExpressionScope) {}

  evaluate(node: ExpressionNode): JsonValue {
    this.#step();
    switch (node.kind) {
      case 'literal':
        return node.value;
      case 'name':
        if (!Object.hasOwn(this.scope, node.name)) throw new ExpressionError(`unknown name ${node.name}; known here: ${Object.keys(this.scope).join(', ')}`, node.position);
        return this.scope[node.name]!;
      case 'member':
        return this.#property(this.evaluate(node.object), node.property, node.position);
      case 'index':
        return this.#index(this.evaluate(node.object), this.evaluate(node.index), node.position);
      case 'unary': {
        const operand = this.evaluate(node.operand);
        if (node.operator === '!') return !isTruthy(operand);
        if (typeof operand !== 'number') throw new ExpressionError(`'-' needs a number, got ${typeName(operand)}`, node.position);
        return -operand;
      }
      case 'binary':
        return this.#binary(node);
      case 'conditional':
        return isTruthy(this.evaluate(node.test)) ? this.evaluate(node.consequent) : this.evaluate(node.alternate);
      case 'call': {
        const args = node.arguments.map((argument) => this.evaluate(argument));
        return this.#checked(expressionFunctions[node.callee]!.call(args, (left, right) => this.#equal(left, right)), node.position);
      }
      case 'array':
        return node.elements.map((element) => this.evaluate(element));
    }
  }

  #binary(node: Extract<ExpressionNode, { kind: 'binary' }>): JsonValue {
    if (node.operator === '&&') return isTruthy(this.evaluate(node.left)) && isTruthy(this.evaluate(node.right));
    if (node.operator === '||') return isTruthy(this.evaluate(node.left)) || isTruthy(this.evaluate(node.right));
    const left = this.evaluate(node.left);
    const right = this.evaluate(node.right);
    const fail = (what: string) => new ExpressionError(`'${node.operator}' ${what}, got ${typeName(left)} and ${typeName(right)}`, node.position);
    switch (node.operator) {
      case '==':
        return this.#equal(left, right);
      case '!=':
        return !this.#equal(left, right);
      case '<':
      case '<=':
      case '>':
      case '>=': {
        if (!((typeof left === 'number' && typeof right === 'number') || (typeof left === 'string' && typeof right === 'string'))) throw fail('compares two numbers or two strings');
        if (node.operator === '<') return left < right;
        if (node.operator === '<=') return left <= right;
        if (node.operator === '>') return left > right;
        return left >= right;
      }
      case 'in':
        if (Array.isArray(right)) return right.some((item) => this.#equal(left, item));
        if (isJsonObject(right) && typeof left === 'string') return Object.hasOwn(right, left);
        if (typeof right === 'string' && typeof left === 'string') return right.includes(left);
        throw fail('looks for an item in a list, a key in an object or a part in a string');
      case '+':
        if (typeof left === 'string' && typeof right === 'string') return this.#checked(left + right, node.position);
        if (typeof left === 'number' && typeof right === 'number') return this.#checked(left + right, node.position);
        throw fail('adds two numbers or joins two strings');
      default: {
        if (typeof left !== 'number' || typeof right !== 'number') throw fail('needs two numbers');
        const result = node.operator === '-' ? left - right : node.operator === '*' ? left * right : node.operator === '/' ? left / right : left % right;
        return this.#checked(result, node.position);
      }
    }
  }

  #property(object: JsonValue, property: string, position: number): JsonValue {
    if (object === null) return null;
    if (typeof object !== 'object') throw new ExpressionError(`cannot read .${property} of a ${typeName(object)}`, position);
    if (Array.isArray(object)) {
      if (property === 'length') return object.length;
      throw new ExpressionError(`cannot read .${property} of a list (use [index] or len())`, position);
    }
    return Object.hasOwn(object, property) ? object[property]! : null;
  }

  #index(object: JsonValue, index: JsonValue, position: number): JsonValue {
    if (object === null) return null;
    if (Array.isArray(object)) {
      if (typeof index !== 'number' || !Number.isInteger(index)) throw new ExpressionError(`a list index must be a whole number, got ${typeName(index)}`, position);
      const at = index < 0 ? object.length + index : index;
      return at >= 0 && at < object.length ? object[at]! : null;
    }
    if (typeof index !== 'string') throw new ExpressionError(`an object key must be a string, got ${typeName(index)}`, position);
    if (forbiddenProperties.has(index)) throw new ExpressionError(`property ${index} is not allowed`, position);
    return this.#property(object, index, position);
  }

  /** Structural equality of JSON values; each value visited is a step. */
  #equal(left: JsonValue, right: JsonValue, depth = 0): boolean {
    this.#step();
    if (left === right) return true;
    if (depth > maximumComparisonDepth) throw new ExpressionError(`cannot compare values nested deeper than ${maximumComparisonDepth} levels`);
    if (Array.isArray(left)) return Array.isArray(right) && left.length === right.length && left.every((item, at) => this.#equal(item, right[at]!, depth + 1));
    if (isJsonObject(left) && isJsonObject(right)) {
      const keys = Object.keys(left);
      return keys.length === Object.keys(right).length && keys.every((key) => Object.hasOwn(right, key) && this.#equal(left[key]!, right[key]!, depth + 1));
    }
    return false;
  }

  #checked(value: JsonValue, position: number): JsonValue {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new ExpressionError('the result is not a finite number (division by zero?)', position);
    if (typeof value === 'string' && value.length > maximumStringLength) throw new ExpressionError(`a string longer than ${maximumStringLength} characters`, position);
    return value;
  }

  #step(): void {
    this.#steps += 1;
    if (this.#steps > maximumSteps) throw new ExpressionError(`evaluation took more than ${maximumSteps} steps`);
  }
}
