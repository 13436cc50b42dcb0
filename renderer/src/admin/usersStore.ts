/**
 * The Users section's state: every user (`users.list`) and the admin's changes — create, change
 * role, disable or enable, delete. Changes throw on failure so the control shows why; the list
 * reloads after each.
 */
import { create } from 'zustand';
import type { User } from '../../../shared/api/schemas/users.js';
import type { Role } from '../../../shared/security/permissions.js';
import { failureMessage } from '../controls/failureMessage.js';
import { apiClient } from '../state/sessionStore.js';

interface UsersState {
  users: User[];
  loaded: boolean;
  error: string | null;
  load(): Promise<void>;
  create(user: { username: string; password: string; role: Role }): Promise<void>;
  update(id: string, change: { role?: Role; disabled?: boolean }): Promise<void>;
  remove(id: string): Promise<void>;
}

export const useUsersStore = create<UsersState>()((set, get) => ({
  users: [],
  loaded: false,
  error: null,
  async load() {
    try {
      const { users } = await apiClient.call('users.list', {});
      set({ users: [...users].sort((left, right) => left.username.localeCompare(right.username)), loaded: true, error: null });
    } catch (error) {
      set({ error: failureMessage(error), loaded: true });
    }
  },
  async create(user) {
    await apiClient.call('users.create', { body: user });
    await get().load();
  },
  async update(id, change) {
    await apiClient.call('users.update', { params: { id }, body: change });
    await get().load();
  },
  async remove(id) {
    await apiClient.call('users.delete', { params: { id } });
    await get().load();
  },
}));
