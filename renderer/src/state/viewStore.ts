/**
 * Which view the console shows under the top bar; a plain switch, no router. `views` is the
 * order of the switch (and of the Alt+1…Alt+9 shortcuts); the first is shown after sign-in.
 */
import { create } from 'zustand';
import { roleAllows, type Permission, type Role } from '../../../shared/security/permissions.js';

export const views = ['Overview', 'Queues', 'Tasks', 'Dead letters', 'Workflows', 'Runs', 'Workers', 'Schedules', 'Users', 'Audit'] as const;
export type View = (typeof views)[number];

/** The permission a view needs beyond `read`; a role without it does not see the view at all. */
const viewPermission: Partial<Record<View, Permission>> = {
  Users: 'users:admin',
  Audit: 'audit:read',
};

export function viewAllowed(role: Role, view: View): boolean {
  const needed = viewPermission[view];
  return needed === undefined || roleAllows(role, needed);
}

/** The views `role` may open, in switch order. */
export function visibleViews(role: Role): View[] {
  return views.filter((view) => viewAllowed(role, view));
}

interface ViewState {
  view: View;
  show(view: View): void;
}

export const useViewStore = create<ViewState>()((set) => ({
  view: views[0],
  show(view) {
    set({ view });
  },
}));
