import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../../agent/security/redactSecrets.js';

describe('redactSecrets', () => {
  it('replaces the values of secret-looking keys at any depth and leaves the rest', () => {
    const input = {
      username: 'alice',
      password: 'hunter2hunter2',
      nested: { newPassword: 'x', apiKey: 'sy_x', api_key: 'y', 'api-key': 'z', clientSecret: 's', role: 'admin' },
      headers: [{ Authorization: 'Bearer abc', Cookie: 'sid=1', accept: 'json' }],
      refreshToken: { id: 'whole objects go too' },
      passphrase: 'p',
    };

    expect(redactSecrets(input)).toEqual({
      username: 'alice',
      password: '[redacted]',
      nested: { newPassword: '[redacted]', apiKey: '[redacted]', api_key: '[redacted]', 'api-key': '[redacted]', clientSecret: '[redacted]', role: 'admin' },
      headers: [{ Authorization: '[redacted]', Cookie: '[redacted]', accept: 'json' }],
      refreshToken: '[redacted]',
      passphrase: '[redacted]',
    });
  });

  it('copies rather than changing its input', () => {
    const input = { password: 'keep me', list: [1, 2] };
    const output = redactSecrets(input) as typeof input;
    expect(input.password).toBe('keep me');
    expect(output.list).not.toBe(input.list);
  });

  it('passes plain values through, dates as JSON, and survives cycles', () => {
    expect(redactSecrets('text')).toBe('text');
    expect(redactSecrets(null)).toBeNull();
    expect(redactSecrets([1, 'two'])).toEqual([1, 'two']);
    expect(redactSecrets({ at: new Date(0) })).toEqual({ at: '1970-01-01T00:00:00.000Z' });
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    expect(redactSecrets(cyclic)).toEqual({ name: 'loop', self: '[circular]' });
    const shared = { a: 1 };
    expect(redactSecrets({ first: shared, second: shared })).toEqual({ first: { a: 1 }, second: { a: 1 } });
  });
});
