/**
 * The API keys section's state: every key (`keys.list`), creating one and revoking one.
 *
 * The secret of a new key comes back from `keys.create` only; the agent keeps its hash. It is held
 * here in `created` until the admin dismisses it or leaves the view (`forgetCreated`), and never
 * written anywhere else — after that it cannot be shown again, only a new key made.
 */
import { create } from 'zustand';
import type { ResponseOf } from '../../../shared/api/client.js';
import type { Permission } from '../../../shared/security/permissions.js';
import { failureMessage } from '../controls/failureMessage.js';
import { apiClient } from '../state/sessionStore.js';

export type ApiKeyInfo = ResponseOf<'keys.list'>['keys'][number];

interface KeysState {
  keys: ApiKeyInfo[];
  loaded: boolean;
  error: string | null;
  /** The key just created, with its secret, until dismissed. */
  created: { name: string; secret: string } | null;
  load(): Promise<void>;
  create(key: { name: string; scopes: Permission[]; expiresAt?: number }): Promise<void>;
  revoke(id: string): Promise<void>;
  forgetCreated(): void;
}

export const useKeysStore = create<KeysState>()((set, get) => ({
  keys: [],
  loaded: false,
  error: null,
  created: null,
  async load() {
    try {
      const { keys } = await apiClient.call('keys.list', {});
      set({ keys: [...keys].sort((left, right) => right.createdAt - left.createdAt), loaded: true, error: null });
    } catch (error) {
      set({ error: failureMessage(error), loaded: true });
    }
  },
  async create(key) {
    const answer = await apiClient.call('keys.create', { body: key });
    set({ created: { name: answer.apiKey.name, secret: answer.key } });
    await get().load();
  },
  async revoke(id) {
    await apiClient.call('keys.revoke', { params: { id } });
    await get().load();
  },
  forgetCreated() {
    set({ created: null });
  },
}));
