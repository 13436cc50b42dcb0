import type pg from 'pg';
import type { Role } from '../../shared/security/permissions.js';
import { redactSecrets } from './redactSecrets.js';
import { SecurityInputError } from './SecurityInputError.js';

export interface AuditActor {
  kind: 'user' | 'apiKey' | 'system';
  /** The user id, the key id, or the name of the system job. */
  id: string;
  /** The username, the key's name, or the job's name, as it was at the time. */
  name: string;
  /** The user's role, or the key creator's; null for the system. */
  role: Role | null;
}

export interface AuditEntry {
  /** Increasing; opaque to callers. */
  id: string;
  /** Epoch ms, database clock. */
  at: number;
  actor: AuditActor;
  /** What was done, `noun.verb`: `user.create`, `apiKey.revoke`, `queue.pause`. */
  action: string;
  /** What it was done to: an id or name. */
  target: string;
  /** The target before the change (null for a creation), secrets redacted. */
  before: unknown;
  /** The target after the change (null for a deletion), secrets redacted. */
  after: unknown;
  /** The client's address, when the change came over the network. */
  address: string | null;
}

export interface AuditQuery {
  /** Entries per page. Default 100, at most 1000. */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
  action?: string;
  actorId?: string;
  /** Epoch ms: entries at or after. */
  since?: number;
  /** Epoch ms: entries before. */
  until?: number;
}

/**
 * Told of every entry once it is stored, e.g. to publish it to the event stream of every agent.
 * It must not throw: the change it records is already committed, so a failure to pass the entry
 * on is the publisher's to log.
 */
export type AuditPublisher = (entry: AuditEntry) => void;

/**
 * The audit log (`audit_log` table): one entry per change an operator, admin, API key or the
 * system made. The table is append-only (a trigger refuses update, delete and truncate), and
 * values pass through `redactSecrets` before they are written. With a `publish`er, each stored
 * entry is also handed to it (the agent publishes them over Redis for the event stream).
 */
export class AuditLog {
  constructor(
    private readonly pool: pg.Pool,
    private readonly publish?: AuditPublisher,
  ) {}

  /** Entries waiting for the insert in flight to finish; written together by the next one. */
  private waiting: Array<{ entry: Omit<AuditEntry, 'id' | 'at'>; stored: (entry: AuditEntry) => void; failed: (error: unknown) => void }> = [];
  private writing = false;

  /**
   * Stores an entry; resolves once it is committed. Appends that arrive while an insert is in
   * flight are written together by the next one (one round trip and one commit for many), so a
   * busy agent does not queue one insert per request behind the disk, and an idle one adds no delay.
   */
  append(entry: Omit<AuditEntry, 'id' | 'at'>): Promise<AuditEntry> {
    return new Promise((stored, failed) => {
      this.waiting.push({ entry, stored, failed });
      if (!this.writing) void this.write();
    });
  }

  private async write(): Promise<void> {
    this.writing = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, maximumBatch);
      try {
        const { rows } = await this.pool.query<AuditRow>(insertEntries, [
          batch.map(({ entry }) => entry.actor.kind),
          batch.map(({ entry }) => entry.actor.id),
          batch.map(({ entry }) => entry.actor.name),
          batch.map(({ entry }) => entry.actor.role),
          batch.map(({ entry }) => entry.action),
          batch.map(({ entry }) => entry.target),
          batch.map(({ entry }) => jsonOf(entry.before)),
          batch.map(({ entry }) => jsonOf(entry.after)),
          batch.map(({ entry }) => entry.address),
        ]);
        // Ids are drawn in the order rows are inserted, which is the batch's order.
        const ordered = rows.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1)).map(entryOf);
        batch.forEach(({ stored }, index) => {
          const entry = ordered[index]!;
          this.publish?.(entry);
          stored(entry);
        });
      } catch (error) {
        for (const { failed } of batch) failed(error);
      }
    }
    this.writing = false;
  }

  /**
   * Entries newest first, filtered, one page at a time: pass `nextCursor` back as `cursor` for the
   * next page; it is null on the last one. Pages are cut by id, so entries appended meanwhile
   * neither repeat nor shift an entry off a page. Throws SecurityInputError for a bad `limit`,
   * `cursor`, `since` or `until`.
   */
  async list({ limit = 100, cursor, action, actorId, since, until }: AuditQuery = {}): Promise<{ entries: AuditEntry[]; nextCursor: string | null }> {
    if (!Number.isInteger(limit) || limit < 1) throw new SecurityInputError('limit', 'the limit must be a whole number from 1 to 1000');
    const pageSize = Math.min(limit, maximumLimit);
    const before = cursor === undefined ? null : idOfCursor(cursor);
    for (const [field, value] of [['since', since], ['until', until]] as const) {
      if (value !== undefined && !Number.isFinite(value)) throw new SecurityInputError(field, `${field} must be a time in epoch milliseconds`);
    }
    const { rows } = await this.pool.query<AuditRow>(selectEntries, [
      before,
      action ?? null,
      actorId ?? null,
      since === undefined ? null : new Date(since),
      until === undefined ? null : new Date(until),
      pageSize + 1,
    ]);
    const page = rows.slice(0, pageSize).map(entryOf);
    const last = page.at(-1);
    return { entries: page, nextCursor: rows.length > pageSize && last ? cursorOf(last.id) : null };
  }
}

const maximumLimit = 1000;
/** Most entries one insert writes. */
const maximumBatch = 500;

/** The id, base64url-encoded: callers must not build cursors, so the format may change. */
function cursorOf(id: string): string {
  return Buffer.from(`audit:${id}`).toString('base64url');
}

function idOfCursor(cursor: string): string {
  const match = /^audit:(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match?.[1]) throw new SecurityInputError('cursor', 'the cursor is not one this log gave out');
  return match[1];
}

/** JSON text for a jsonb parameter (pg would send an array as a Postgres array); undefined and null are SQL null. */
function jsonOf(value: unknown): string | null {
  const redacted = redactSecrets(value);
  return redacted === undefined || redacted === null ? null : JSON.stringify(redacted);
}

interface AuditRow {
  id: string;
  at: Date;
  actor_kind: AuditActor['kind'];
  actor_id: string;
  actor_name: string;
  role: Role | null;
  action: string;
  target: string;
  before: unknown;
  after: unknown;
  address: string | null;
}

function entryOf(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: row.at.getTime(),
    actor: { kind: row.actor_kind, id: row.actor_id, name: row.actor_name, role: row.role },
    action: row.action,
    target: row.target,
    before: row.before,
    after: row.after,
    address: row.address,
  };
}

const columns = `id, at, actor_kind, actor_id, actor_name, role, action, target, before, after, address`;

const insertEntries = `
insert into audit_log (actor_kind, actor_id, actor_name, role, action, target, before, after, address)
select actor_kind, actor_id, actor_name, role, action, target, before, after, address
from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::jsonb[], $9::text[])
  with ordinality as entry(actor_kind, actor_id, actor_name, role, action, target, before, after, address, position)
order by position
returning ${columns}`;

const selectEntries = `
select ${columns}
from audit_log
where ($1::bigint is null or id < $1::bigint)
  and ($2::text is null or action = $2::text)
  and ($3::text is null or actor_id = $3::text)
  and ($4::timestamptz is null or at >= $4::timestamptz)
  and ($5::timestamptz is null or at < $5::timestamptz)
order by id desc
limit $6`;
