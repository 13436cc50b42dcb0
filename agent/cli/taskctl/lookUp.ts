import type { ApiClient } from '../../../shared/api/client.js';
import { TaskctlError } from './errors.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The API addresses users, keys and schedules by id; people know them by username, prefix and name. These accept
 * either: an id is used as it is, anything else is looked up in the list.
 */
export async function userId(api: ApiClient, given: string): Promise<string> {
  if (uuidPattern.test(given)) return given;
  const { users } = await api.call('users.list', {});
  const found = users.find((user) => user.username === given.toLowerCase());
  if (!found) throw new TaskctlError('not_found', `no user is named ${given}`);
  return found.id;
}

/** A key's id from its id, its prefix, or the whole key (`sy_<prefix>_…`). */
export async function apiKeyId(api: ApiClient, given: string): Promise<string> {
  if (uuidPattern.test(given)) return given;
  const prefix = /^sy_([a-z0-9]+)(_|$)/.exec(given)?.[1] ?? given;
  const { keys } = await api.call('keys.list', {});
  const found = keys.find((key) => key.prefix === prefix || key.prefix === given);
  if (!found) throw new TaskctlError('not_found', `no API key has the prefix ${prefix}`);
  return found.id;
}

/** A schedule's id from its id or its name. */
export async function scheduleId(api: ApiClient, given: string): Promise<string> {
  if (uuidPattern.test(given)) return given;
  const { schedules } = await api.call('schedules.list', {});
  const found = schedules.find((schedule) => schedule.name === given);
  if (!found) throw new TaskctlError('not_found', `no schedule is named ${given}`);
  return found.id;
}
