import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, type AuditEntry } from '../../../agent/security/AuditLog.js';
import { SecurityInputError } from '../../../agent/security/SecurityInputError.js';
import { migratedDatabase } from '../../helpers/postgres.js';

let database: Awaited<ReturnType<typeof migratedDatabase>>;
let audit: AuditLog;

beforeAll(async () => {
  database = await migratedDatabase();
  audit = new AuditLog(database.pool);
});

afterAll(async () => {
  await database?.close();
});

const alice = { kind: 'user', id: 'u-alice', name: 'alice', role: 'admin' } as const;
const bob = { kind: 'apiKey', id: 'k-bob', name: 'bob key', role: 'operator' } as const;

function change(action: string, actor: AuditEntry['actor'] = alice): Omit<AuditEntry, 'id' | 'at'> {
  return { actor, action, target: 'target', before: null, after: { n: action }, address: '10.0.0.1' };
}

describe('AuditLog', () => {
  it('appends an entry and answers it, secrets redacted before they are written', async () => {
    const before = Date.now();
    const entry = await audit.append({
      actor: alice,
      action: 'user.update',
      target: 'u-carol',
      before: { role: 'viewer', password: 'old password!' },
      after: { role: 'operator', password: 'new password!', nested: [{ token: 't' }] },
      address: '192.0.2.7',
    });

    expect(entry).toEqual({
      id: expect.stringMatching(/^\d+$/),
      at: expect.any(Number),
      actor: alice,
      action: 'user.update',
      target: 'u-carol',
      before: { role: 'viewer', password: '[redacted]' },
      after: { role: 'operator', password: '[redacted]', nested: [{ token: '[redacted]' }] },
      address: '192.0.2.7',
    });
    expect(entry.at).toBeGreaterThanOrEqual(before - 5_000);
    const { rows } = await database.pool.query<{ text: string }>('select before::text || after::text as text from audit_log where id = $1', [entry.id]);
    expect(rows[0]?.text).not.toMatch(/password!|"t"/);
  });

  it('answers each of many concurrent appends with its own entry, ids in the order they were made', async () => {
    const made = await Promise.all(
      Array.from({ length: 300 }, (_, n) =>
        audit.append({ actor: { kind: 'system', id: 'burst', name: 'burst', role: null }, action: `burst.${n}`, target: `t${n}`, before: null, after: { n }, address: null }),
      ),
    );
    made.forEach((entry, n) => expect(entry).toMatchObject({ action: `burst.${n}`, target: `t${n}`, after: { n } }));
    const ids = made.map((entry) => BigInt(entry.id));
    expect(ids.every((id, index) => index === 0 || id > ids[index - 1]!)).toBe(true);
    expect(new Set(ids).size).toBe(300);
  });

  it('stores any JSON value, and undefined as null', async () => {
    const entry = await audit.append({ actor: { kind: 'system', id: 'archiver', name: 'archiver', role: null }, action: 'x.y', target: 't', before: ['a', 1], after: undefined, address: null });
    expect(entry).toMatchObject({ before: ['a', 1], after: null, address: null, actor: { kind: 'system', role: null } });
    expect((await audit.append({ ...change('x.y'), before: 'just text', after: 42 })).before).toBe('just text');
  });

  it('lists newest first, a page at a time, without repeats when entries arrive between pages', async () => {
    const fresh = await migratedDatabase();
    try {
      const log = new AuditLog(fresh.pool);
      for (let index = 1; index <= 7; index++) await log.append(change(`page.${index}`));

      const first = await log.list({ limit: 3 });
      expect(first.entries.map((entry) => entry.action)).toEqual(['page.7', 'page.6', 'page.5']);
      expect(first.nextCursor).toEqual(expect.any(String));
      await log.append(change('page.8'));
      const second = await log.list({ limit: 3, cursor: first.nextCursor! });
      expect(second.entries.map((entry) => entry.action)).toEqual(['page.4', 'page.3', 'page.2']);
      const third = await log.list({ limit: 3, cursor: second.nextCursor! });
      expect(third.entries.map((entry) => entry.action)).toEqual(['page.1']);
      expect(third.nextCursor).toBeNull();
      const exact = await log.list({ limit: 8 });
      expect(exact.entries).toHaveLength(8);
      expect(exact.nextCursor).toBeNull();
    } finally {
      await fresh.close();
    }
  });

  it('filters by action, actor and time', async () => {
    const fresh = await migratedDatabase();
    try {
      const log = new AuditLog(fresh.pool);
      const early = await log.append(change('queue.pause'));
      const middle = await log.append(change('queue.pause', bob));
      await fresh.pool.query(`insert into audit_log (at, actor_kind, actor_id, actor_name, action, target) values (now() + interval '1 hour', 'system', 's', 's', 'queue.resume', 't')`);

      expect((await log.list({ action: 'queue.pause' })).entries.map((entry) => entry.id)).toEqual([middle.id, early.id]);
      expect((await log.list({ actorId: 'k-bob' })).entries.map((entry) => entry.id)).toEqual([middle.id]);
      expect((await log.list({ since: Date.now() + 30 * 60_000 })).entries.map((entry) => entry.action)).toEqual(['queue.resume']);
      expect((await log.list({ until: Date.now() + 30 * 60_000 })).entries.map((entry) => entry.id)).toEqual([middle.id, early.id]);
      expect((await log.list({ action: 'queue.pause', actorId: 'u-alice', since: early.at, until: early.at + 1 })).entries.map((entry) => entry.id)).toEqual([early.id]);
    } finally {
      await fresh.close();
    }
  });

  it('caps the page at 1000 and refuses a bad limit or cursor, naming the field', async () => {
    await expect(audit.list({ limit: 5_000 })).resolves.toMatchObject({ nextCursor: null });
    for (const [query, field] of [
      [{ limit: 0 }, 'limit'],
      [{ limit: 1.5 }, 'limit'],
      [{ cursor: 'garbage' }, 'cursor'],
      [{ cursor: Buffer.from('audit:1; drop table').toString('base64url') }, 'cursor'],
      [{ since: Number.NaN }, 'since'],
    ] as const) {
      const error = await audit.list(query).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(SecurityInputError);
      expect(error).toMatchObject({ field });
    }
  });
});
