import type { Session } from '../../../shared/api/schemas/auth.js';
import { apiErrorCodes } from '../../../shared/api/errors.js';
import { AuthenticationError } from '../../security/AuthenticationError.js';
import type { UserRecord } from '../../security/UserStore.js';
import { passwordProblem } from '../../security/passwords.js';
import { ApiProblem } from '../ApiProblem.js';
import type { ApiServices } from '../ApiServices.js';
import { signedIn, type EndpointHandlers } from '../EndpointHandler.js';
import { toUserView } from './toUserView.js';

/** A new session: an access token and a refresh token (in `familyId`'s family when rotating). */
async function sessionFor(user: UserRecord, services: ApiServices, refresh?: { token: string; expiresAt: number }): Promise<Session> {
  const access = await services.accessTokens.issue({ userId: user.id, username: user.username, role: user.role });
  const issued = refresh ?? (await services.refreshTokens.issue(user.id));
  return {
    accessToken: access.token,
    accessTokenExpiresAt: access.expiresAt,
    refreshToken: issued.token,
    refreshTokenExpiresAt: issued.expiresAt,
    user: toUserView(user),
  };
}

export const authHandlers: EndpointHandlers<'auth.login' | 'auth.refresh' | 'auth.logout' | 'auth.me' | 'auth.changePassword' | 'setup.createAdmin'> = {
  'auth.login': async ({ body, address }, services) => {
    const wait = await services.loginThrottle.check(body.username, address);
    if (!wait.allowed) {
      services.log.warn({ username: body.username, address, retryAfterMs: wait.retryAfterMs }, 'login refused: too many failed attempts');
      const seconds = Math.ceil(wait.retryAfterMs / 1000);
      throw new ApiProblem(429, apiErrorCodes.rateLimited, `too many failed sign-ins; try again in ${seconds} s`, undefined, seconds);
    }
    let user: UserRecord;
    try {
      user = await services.users.verifyCredentials(body.username, body.password);
    } catch (error) {
      if (error instanceof AuthenticationError) {
        await services.loginThrottle.recordFailure(body.username, address);
        services.log.warn({ username: body.username, address, reason: error.reason }, 'login failed');
        // One message for an unknown user and a wrong password: the answer must not tell them apart.
        throw new ApiProblem(401, apiErrorCodes.unauthenticated, error.reason === 'disabled_user' ? 'this account is disabled' : 'wrong username or password');
      }
      throw error;
    }
    await services.loginThrottle.recordSuccess(body.username, address);
    services.log.info({ username: user.username, address }, 'signed in');
    return sessionFor(user, services);
  },

  'auth.refresh': async ({ body, address }, services) => {
    let rotated: Awaited<ReturnType<ApiServices['refreshTokens']['rotate']>>;
    try {
      rotated = await services.refreshTokens.rotate(body.refreshToken);
    } catch (error) {
      if (error instanceof AuthenticationError && error.reason === 'reused_refresh_token') {
        services.log.warn({ address }, 'a used refresh token was presented again: its whole family is revoked');
      }
      throw error;
    }
    const user = await services.users.get(rotated.userId);
    if (!user || user.disabled) {
      await services.refreshTokens.revokeFamily(rotated.familyId);
      throw new ApiProblem(401, apiErrorCodes.unauthenticated, 'this account is disabled or deleted');
    }
    return sessionFor(user, services, rotated);
  },

  'auth.logout': async ({ body }, services) => {
    await services.refreshTokens.revoke(body.refreshToken);
    return undefined;
  },

  'auth.me': async (call) => {
    const principal = signedIn(call);
    return { kind: principal.kind, id: principal.id, name: principal.name, role: principal.role, permissions: [...principal.permissions] };
  },

  'auth.changePassword': async (call, services) => {
    const principal = signedIn(call);
    const user = await services.users.get(principal.id);
    if (!user) throw new ApiProblem(401, apiErrorCodes.unauthenticated, 'this account no longer exists');
    try {
      await services.users.verifyCredentials(user.username, call.body.currentPassword);
    } catch (error) {
      if (error instanceof AuthenticationError) throw new ApiProblem(400, apiErrorCodes.invalidRequest, 'the current password is wrong', 'body.currentPassword');
      throw error;
    }
    const problem = passwordProblem(call.body.newPassword);
    if (problem) throw new ApiProblem(400, apiErrorCodes.invalidRequest, problem, 'body.newPassword');
    await services.users.setPassword(user.id, call.body.newPassword);
    await services.refreshTokens.revokeAllForUser(user.id);
    call.audit.target = `user:${user.username}`;
    return undefined;
  },

  'setup.createAdmin': async (call, services) => {
    const user = await services.setupToken.createFirstAdmin(call.body.token, { username: call.body.username, password: call.body.password });
    call.audit.target = `user:${user.username}`;
    call.audit.after = { username: user.username, role: user.role };
    services.log.info({ username: user.username }, 'created the first admin with the setup token');
    return sessionFor(user, services);
  },
};
