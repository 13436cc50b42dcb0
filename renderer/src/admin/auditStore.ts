/**
 * The Audit view's state: the filters (`audit.list` supports action, actor and a time window) and
 * the entries found, newest first, 50 at a time; "Load more" follows `nextCursor`.
 */
import { create } from 'zustand';
import type { ResponseOf } from '../../../shared/api/client.js';
import { failureMessage } from '../controls/failureMessage.js';
import { apiClient } from '../state/sessionStore.js';

export type AuditEntry = ResponseOf<'audit.list'>['entries'][number];

/** The filter form's fields; empty means "any". Times are `datetime-local` values (local time). */
export interface AuditFilters {
  action: string;
  actorId: string;
  since: string;
  until: string;
}

export const noAuditFilters: AuditFilters = { action: '', actorId: '', since: '', until: '' };

const pageSize = 50;

/** The filled-in fields as an `audit.list` query. */
export function auditQuery(filters: AuditFilters, cursor: string | null) {
  const text = (value: string) => (value.trim() === '' ? undefined : value.trim());
  const time = (value: string) => (value === '' ? undefined : new Date(value).getTime());
  return {
    action: text(filters.action),
    actorId: text(filters.actorId),
    since: time(filters.since),
    until: time(filters.until),
    limit: pageSize,
    cursor: cursor ?? undefined,
  };
}

interface AuditState {
  filters: AuditFilters;
  entries: AuditEntry[];
  nextCursor: string | null;
  searched: boolean;
  busy: boolean;
  error: string | null;
  search(filters: AuditFilters): Promise<void>;
  loadMore(): Promise<void>;
}

export const useAuditStore = create<AuditState>()((set, get) => {
  const fetchPage = async (filters: AuditFilters, cursor: string | null, keep: AuditEntry[]) => {
    set({ busy: true });
    try {
      const page = await apiClient.call('audit.list', { query: auditQuery(filters, cursor) });
      set({ entries: [...keep, ...page.entries], nextCursor: page.nextCursor, searched: true, busy: false, error: null });
    } catch (error) {
      set({ busy: false, error: failureMessage(error) });
    }
  };

  return {
    filters: noAuditFilters,
    entries: [],
    nextCursor: null,
    searched: false,
    busy: false,
    error: null,
    async search(filters) {
      set({ filters, entries: [], nextCursor: null });
      await fetchPage(filters, null, []);
    },
    async loadMore() {
      const { filters, nextCursor, entries } = get();
      if (nextCursor) await fetchPage(filters, nextCursor, entries);
    },
  };
});
