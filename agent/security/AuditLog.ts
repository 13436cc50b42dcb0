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
 * The audit log (`audit_log` table): one entry per change an operator, admin, API key or the
 * system made. The table is append-only (a trigger refuses update, delete and truncate), and
 * values pass through `redactSecrets` before they are written.
 */
export class AuditLog {
  constructor(private readonly pool: pg.Pool) {}

  async append(entry: Omit<AuditEntry, 'id' | 'at'>): Promise<AuditEntry> {
    const { rows } = await this.pool.query<AuditRow>(insertEntry, [
      entry.actor.kind,
      entry.actor.id,
      entry.actor.name,
      entry.actor.role,
      entry.action,
      entry.target,
      jsonOf(entry.before),
      jsonOf(entry.after),
      entry.address,
    ]);
    return entryOf(rows[0]!);
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

const insertEntry = `
insert into audit_log (actor_kind, actor_id, actor_name, role, action, target, before, after, address)
values ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9)
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
