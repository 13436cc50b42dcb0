/**
 * The Schedules view's state: every cron schedule with its next run times (`schedules.list`), and
 * the changes — enable/disable (`schedules.update`), create, delete. Changes throw on failure, so
 * the control that made them shows why; the list reloads after each. There is no "run now" in the
 * API: enqueue the task from the Tasks view instead.
 */
import { create } from 'zustand';
import type { ResponseOf } from '../../../shared/api/client.js';
import type { CreateScheduleRequest } from '../../../shared/api/schemas/schedules.js';
import { failureMessage } from '../controls/failureMessage.js';
import { apiClient } from '../state/sessionStore.js';

export type ScheduleInfo = ResponseOf<'schedules.list'>['schedules'][number];
/** What the create form sends: the request with its defaults still optional. */
export type NewSchedule = Pick<CreateScheduleRequest, 'name' | 'queue' | 'cron' | 'timeZone' | 'task'>;

interface SchedulesState {
  schedules: ScheduleInfo[];
  loaded: boolean;
  error: string | null;
  load(): Promise<void>;
  setEnabled(id: string, enabled: boolean): Promise<void>;
  create(schedule: NewSchedule): Promise<void>;
  remove(id: string): Promise<void>;
}

export const useSchedulesStore = create<SchedulesState>()((set, get) => ({
  schedules: [],
  loaded: false,
  error: null,
  async load() {
    try {
      const { schedules } = await apiClient.call('schedules.list', {});
      set({ schedules: [...schedules].sort((left, right) => left.name.localeCompare(right.name)), loaded: true, error: null });
    } catch (error) {
      set({ error: failureMessage(error), loaded: true });
    }
  },
  async setEnabled(id, enabled) {
    await apiClient.call('schedules.update', { params: { id }, body: { enabled } });
    await get().load();
  },
  async create(schedule) {
    await apiClient.call('schedules.create', { body: schedule });
    await get().load();
  },
  async remove(id) {
    await apiClient.call('schedules.delete', { params: { id } });
    await get().load();
  },
}));
