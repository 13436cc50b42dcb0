import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyPassword } from '../../../agent/security/passwords.js';

describe('hashPassword / verifyPassword', () => {
  it('hashes with Argon2id at the OWASP parameters, salted, and verifies only the right password', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(hash).not.toContain('correct horse battery');
    expect(await hashPassword('correct horse battery')).not.toBe(hash);

    expect(await verifyPassword(hash, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse batterY')).toBe(false);
    expect(await verifyPassword(hash, '')).toBe(false);
  });

  it('answers false for a malformed hash instead of throwing', async () => {
    expect(await verifyPassword('not a hash', 'anything at all')).toBe(false);
    expect(await verifyPassword('', 'anything at all')).toBe(false);
  });
});

describe('passwordProblem', () => {
  it('accepts 12 to 1024 characters that are not all the same', () => {
    expect(passwordProblem('twelve chars')).toBeUndefined();
    expect(passwordProblem('a'.repeat(1023) + 'b')).toBeUndefined();
    expect(passwordProblem('🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑x')).toBeUndefined();
  });

  it('refuses short, huge and one-character passwords with a sentence', () => {
    expect(passwordProblem('')).toBe('the password must be at least 12 characters long');
    expect(passwordProblem('eleven char')).toBe('the password must be at least 12 characters long');
    expect(passwordProblem('x'.repeat(1024) + 'y')).toBe('the password must be at most 1024 characters long');
    expect(passwordProblem('aaaaaaaaaaaaaaaa')).toBe('the password must not repeat a single character');
  });

  it('counts characters, not UTF-16 units', () => {
    // Six emoji are twelve UTF-16 units but six characters.
    expect(passwordProblem('🔑🔒🔑🔒🔑🔒')).toBe('the password must be at least 12 characters long');
  });
});
