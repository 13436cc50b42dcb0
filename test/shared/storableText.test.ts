import { describe, expect, it } from 'vitest';
import { findUnstorable, isUnstorable, jsonIsUnstorable, storable, storableValue } from '../../shared/storableText.js';

describe('storableText', () => {
  it('tells storable text from text PostgreSQL refuses', () => {
    expect(isUnstorable('plain 🚂')).toBe(false);
    expect(isUnstorable('a\u0000b')).toBe(true);
    expect(isUnstorable('\ud800')).toBe(true);
    expect(isUnstorable('\udc00x')).toBe(true);
  });

  it('finds the same in JSON text, not fooled by escaped backslashes', () => {
    expect(jsonIsUnstorable(JSON.stringify({ a: 'x\u0000' }))).toBe(true);
    expect(jsonIsUnstorable(JSON.stringify(['\ud83d']))).toBe(true);
    expect(jsonIsUnstorable(JSON.stringify({ a: '🚂' }))).toBe(false);
    expect(jsonIsUnstorable(JSON.stringify({ a: '\\u0000' }))).toBe(false);
    expect(jsonIsUnstorable(JSON.stringify({ a: '\\\u0000' }))).toBe(true);
    expect(jsonIsUnstorable(JSON.stringify({ a: '\\\\u0000' }))).toBe(false);
  });

  it('names the path of the first bad string or key', () => {
    expect(findUnstorable({ tasks: [{ type: 'ok' }, { type: 'x', payload: { deep: ['\u0000'] } }] }, 'body')).toBe('body.tasks[1].payload.deep[0]');
    expect(findUnstorable({ ['k\u0000']: 1 }, 'body')).toBe('body.k\uFFFD');
    expect(findUnstorable({ fine: ['yes', 1, null, { ok: true }] }, 'body')).toBeUndefined();
  });

  it('replaces what cannot be stored with U+FFFD, keys included', () => {
    expect(storable('a\u0000b\ud800')).toBe('a\uFFFDb\uFFFD');
    expect(storableValue({ ['k\u0000']: ['\udc00', 1, { ok: 'yes' }] })).toEqual({ 'k\uFFFD': ['\uFFFD', 1, { ok: 'yes' }] });
  });
});
