import { apiErrorCodes } from '../../../shared/api/errors.js';
import { ApiProblem } from '../ApiProblem.js';
import type { ApiServices } from '../ApiServices.js';
import { signedIn, type EndpointHandlers } from '../EndpointHandler.js';
import { toUserView } from './toUserView.js';

/** Refuses a change that would leave no enabled admin: nobody could manage users any more. */
async function keepAnAdmin(services: ApiServices, userId: string, change: string): Promise<void> {
  const admins = (await services.users.list()).filter((user) => user.role === 'admin' && !user.disabled);
  if (admins.length === 1 && admins[0]!.id === userId) {
    throw new ApiProblem(409, apiErrorCodes.conflict, `cannot ${change} the last enabled admin`);
  }
}

async function existingUser(services: ApiServices, id: string) {
  const user = await services.users.get(id);
  if (!user) throw new ApiProblem(404, apiErrorCodes.notFound, `no user ${id}`, 'params.id');
  return user;
}

export const userHandlers: EndpointHandlers<'users.list' | 'users.create' | 'users.update' | 'users.delete'> = {
  'users.list': async (_call, services) => ({ users: (await services.users.list()).map(toUserView) }),

  'users.create': async (call, services) => {
    const user = await services.users.create(call.body);
    call.audit.target = `user:${user.username}`;
    call.audit.after = { username: user.username, role: user.role };
    return toUserView(user);
  },

  'users.update': async (call, services) => {
    const { id } = call.params;
    const before = await existingUser(services, id);
    const { role, disabled, password } = call.body;
    if ((role !== undefined && role !== 'admin') || disabled === true) await keepAnAdmin(services, id, role !== undefined && role !== 'admin' ? 'demote' : 'disable');
    if (password !== undefined) await services.users.setPassword(id, password);
    const after = role !== undefined || disabled !== undefined ? await services.users.update(id, { role, disabled }) : await services.users.get(id);
    if (!after) throw new ApiProblem(404, apiErrorCodes.notFound, `no user ${id}`, 'params.id');
    // A new password, a lost role or a disabled account ends every session the user has.
    if (password !== undefined || disabled === true || (role !== undefined && role !== before.role)) await services.refreshTokens.revokeAllForUser(id);
    call.audit.target = `user:${after.username}`;
    call.audit.before = { role: before.role, disabled: before.disabled };
    call.audit.after = { role: after.role, disabled: after.disabled, passwordChanged: password !== undefined };
    return toUserView(after);
  },

  'users.delete': async (call, services) => {
    const { id } = call.params;
    const user = await existingUser(services, id);
    if (signedIn(call).id === id) throw new ApiProblem(409, apiErrorCodes.conflict, 'you cannot delete your own account', 'params.id');
    await keepAnAdmin(services, id, 'delete');
    await services.refreshTokens.revokeAllForUser(id);
    await services.users.delete(id);
    call.audit.target = `user:${user.username}`;
    call.audit.before = { username: user.username, role: user.role };
    return undefined;
  },
};
