/**
 * The functions expressions may call. Each takes JSON values and returns one, checks its
 * arguments' types with a message that names the function, and does work bounded by the size of
 * its arguments (which `evaluateExpression` bounds in turn).
 */
import { ExpressionError } from './ExpressionError.js';
import { isJsonObject, typeName, type JsonValue } from './JsonValue.js';

export interface ExpressionFunction {
  /** Fewest and most arguments. */
  arity: readonly [number, number];
  call(args: JsonValue[], equal: (left: JsonValue, right: JsonValue) => boolean): JsonValue;
}

function text(name: string, value: JsonValue): string {
  if (typeof value !== 'string') throw new ExpressionError(`${name}() needs a string, got ${typeName(value)}`);
  return value;
}

function numeric(name: string, value: JsonValue): number {
  if (typeof value !== 'number') throw new ExpressionError(`${name}() needs a number, got ${typeName(value)}`);
  return value;
}

const stringFunction = (name: string, apply: (value: string) => JsonValue): ExpressionFunction => ({ arity: [1, 1], call: ([value]) => apply(text(name, value!)) });
const numberFunction = (name: string, apply: (value: number) => number): ExpressionFunction => ({ arity: [1, 1], call: ([value]) => apply(numeric(name, value!)) });

export const expressionFunctions: Record<string, ExpressionFunction> = {
  /** Characters of a string, items of a list, keys of an object. */
  len: {
    arity: [1, 1],
    call([value]) {
      if (typeof value === 'string' || Array.isArray(value)) return value.length;
      if (isJsonObject(value)) return Object.keys(value).length;
      throw new ExpressionError(`len() needs a string, list or object, got ${typeName(value)}`);
    },
  },
  lower: stringFunction('lower', (value) => value.toLowerCase()),
  upper: stringFunction('upper', (value) => value.toUpperCase()),
  trim: stringFunction('trim', (value) => value.trim()),
  /** Whether a string holds a substring, or a list holds an item equal to the second argument. */
  contains: {
    arity: [2, 2],
    call([haystack, needle], equal) {
      if (typeof haystack === 'string') return haystack.includes(text('contains', needle!));
      if (Array.isArray(haystack)) return haystack.some((item) => equal(item, needle!));
      throw new ExpressionError(`contains() needs a string or list first, got ${typeName(haystack)}`);
    },
  },
  startsWith: { arity: [2, 2], call: ([value, prefix]) => text('startsWith', value!).startsWith(text('startsWith', prefix!)) },
  endsWith: { arity: [2, 2], call: ([value, suffix]) => text('endsWith', value!).endsWith(text('endsWith', suffix!)) },
  /** The keys of an object, in their order. */
  keys: {
    arity: [1, 1],
    call([value]) {
      if (!isJsonObject(value)) throw new ExpressionError(`keys() needs an object, got ${typeName(value)}`);
      return Object.keys(value);
    },
  },
  /** A number from a number or a numeric string; anything else is refused. */
  number: {
    arity: [1, 1],
    call([value]) {
      if (typeof value === 'number') return value;
      const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
      if (!Number.isFinite(parsed)) throw new ExpressionError(`number() cannot read ${typeName(value)} ${JSON.stringify(value)?.slice(0, 40)} as a number`);
      return parsed;
    },
  },
  /** A string: strings as they are, everything else as JSON. */
  string: { arity: [1, 1], call: ([value]) => (typeof value === 'string' ? value : JSON.stringify(value)) },
  min: { arity: [2, 2], call: ([left, right]) => Math.min(numeric('min', left!), numeric('min', right!)) },
  max: { arity: [2, 2], call: ([left, right]) => Math.max(numeric('max', left!), numeric('max', right!)) },
  abs: numberFunction('abs', Math.abs),
  floor: numberFunction('floor', Math.floor),
  ceil: numberFunction('ceil', Math.ceil),
  round: numberFunction('round', Math.round),
};
