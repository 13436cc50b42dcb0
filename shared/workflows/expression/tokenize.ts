/**
 * Splits expression source into tokens: numbers, strings in single or double quotes, names, and
 * the operators and punctuation of the language (see `parseExpression`).
 */
import { ExpressionError } from './ExpressionError.js';

export type Token =
  | { kind: 'number'; value: number; position: number }
  | { kind: 'string'; value: string; position: number }
  | { kind: 'name'; value: string; position: number }
  | { kind: 'symbol'; value: string; position: number }
  | { kind: 'end'; value: ''; position: number };

/** Longest first, so `<=` wins over `<`. */
const symbols = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '+', '-', '*', '/', '%', '(', ')', '[', ']', '.', ',', '?', ':'];

const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' };

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < source.length) {
    const character = source[at]!;
    if (/\s/.test(character)) {
      at += 1;
      continue;
    }
    const number = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(source.slice(at, at + 64));
    if (number) {
      tokens.push({ kind: 'number', value: Number(number[0]), position: at });
      at += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(at, at + 256));
    if (name) {
      tokens.push({ kind: 'name', value: name[0], position: at });
      at += name[0].length;
      continue;
    }
    if (character === "'" || character === '"') {
      const [value, next] = readString(source, at);
      tokens.push({ kind: 'string', value, position: at });
      at = next;
      continue;
    }
    const symbol = symbols.find((candidate) => source.startsWith(candidate, at));
    if (!symbol) throw new ExpressionError(`unexpected character ${JSON.stringify(character)}`, at);
    tokens.push({ kind: 'symbol', value: symbol, position: at });
    at += symbol.length;
  }
  tokens.push({ kind: 'end', value: '', position: source.length });
  return tokens;
}

/** Reads the string literal opening at `start`; returns its value and the offset after its closing quote. */
function readString(source: string, start: number): [string, number] {
  const quote = source[start];
  let value = '';
  let at = start + 1;
  while (at < source.length) {
    const character = source[at]!;
    if (character === quote) return [value, at + 1];
    if (character !== '\\') {
      value += character;
      at += 1;
      continue;
    }
    const escaped = source[at + 1];
    if (escaped === 'u') {
      const hex = source.slice(at + 2, at + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new ExpressionError('\\u must be followed by four hex digits', at);
      value += String.fromCharCode(parseInt(hex, 16));
      at += 6;
    } else if (escaped !== undefined && escapes[escaped] !== undefined) {
      value += escapes[escaped];
      at += 2;
    } else {
      throw new ExpressionError(`unknown escape \\${escaped ?? ''}`, at);
    }
  }
  throw new ExpressionError('string is not closed', start);
}
