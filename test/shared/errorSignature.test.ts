import { describe, expect, it } from 'vitest';
import { errorSignature, normaliseMessage, topFrame } from '../../shared/errorSignature.js';

describe('errorSignature', () => {
  it('replaces the variable parts of a message', () => {
    expect(normaliseMessage('user 0193a4b2-1c2d-7e3f-8a9b-0c1d2e3f4a5b not found after 3 tries')).toBe('user <id> not found after <n> tries');
    expect(normaliseMessage('connect ECONNREFUSED 10.0.0.7:5432')).toBe('connect ECONNREFUSED <n>.<n>:<n>');
    expect(normaliseMessage('no mailbox "ana@example.com" at 2026-11-28T10:00:00Z')).toBe('no mailbox <text> at <time>');
    expect(normaliseMessage('object deadbeef01 is locked')).toBe('object <hex> is locked');
    expect(normaliseMessage('first line\nsecond line')).toBe('first line');
    expect(normaliseMessage('')).toBe('(no message)');
  });

  it('takes the top frame without paths or line numbers', () => {
    expect(topFrame('Error: x\n    at send (/srv/app/handlers/mail.js:10:5)\n    at run (/srv/app/w.js:1:1)')).toBe('send (mail.js)');
    expect(topFrame('Error: x\n    at /srv/app/anonymous.js:3:9')).toBe('anonymous.js');
    expect(topFrame('Error: x\n    at async Promise.all (index 0)')).toBe('async Promise.all (index 0)');
    expect(topFrame(undefined)).toBeUndefined();
    expect(topFrame('no frames here')).toBeUndefined();
  });

  it('gives two failures of the same kind one signature, and different kinds different ones', () => {
    const a = errorSignature({ message: 'invoice 1041 missing', stack: 'Error\n    at bill (/a/billing.js:3:1)' });
    const b = errorSignature({ message: 'invoice 77 missing', stack: 'Error\n    at bill (/b/billing.js:9:4)' });
    const c = errorSignature({ message: 'invoice 77 missing', stack: 'Error\n    at refund (/b/billing.js:9:4)' });
    expect(a).toEqual(b);
    expect(a.signature).toBe('invoice <n> missing @ bill (billing.js)');
    expect(c.signature).not.toBe(a.signature);
    expect(errorSignature({ message: 'plain' })).toEqual({ title: 'plain', signature: 'plain' });
  });
});
