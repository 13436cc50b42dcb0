import { apiErrorCodes } from '../../shared/api/errors.js';
import type { Access } from '../../shared/api/endpoint.js';
import { rolePermissions } from '../../shared/security/permissions.js';
import { ApiProblem } from './ApiProblem.js';
import type { ApiServices } from './ApiServices.js';
import type { Principal } from './Principal.js';

/** API keys are told from access tokens by their prefix: `Authorization: Bearer sy_…`. */
const apiKeyPrefix = 'sy_';

/**
 * Who the `Authorization` header names: `Bearer <access token>` for a user, `Bearer sy_…` for an
 * API key. A key acts with its scopes, cut down to what its creator's role grants today.
 * Throws 401 when the header is missing or its credential is not valid.
 */
export async function authenticate(header: string | undefined, services: Pick<ApiServices, 'accessTokens' | 'apiKeys'>): Promise<Principal> {
  const credential = /^Bearer +(\S+)$/i.exec(header ?? '')?.[1];
  if (!credential) throw new ApiProblem(401, apiErrorCodes.unauthenticated, header ? 'the Authorization header must be "Bearer <token>"' : 'sign in first: this endpoint needs an Authorization header');
  if (credential.startsWith(apiKeyPrefix)) {
    const key = await services.apiKeys.authenticate(credential);
    const granted = rolePermissions[key.createdByRole];
    return { kind: 'apiKey', id: key.id, name: key.name, role: key.createdByRole, permissions: key.scopes.filter((scope) => granted.includes(scope)) };
  }
  const claims = await services.accessTokens.verify(credential);
  return { kind: 'user', id: claims.userId, name: claims.username, role: claims.role, permissions: rolePermissions[claims.role] };
}

/** Throws 403 naming what is missing when `principal` may not use an endpoint of `access`. */
export function authorise(principal: Principal, access: Exclude<Access, 'public'>): void {
  if (access === 'authenticated') return;
  if (access === 'user') {
    if (principal.kind !== 'user') throw new ApiProblem(403, apiErrorCodes.forbidden, 'only a signed-in user may do this, not an API key');
    return;
  }
  if (!principal.permissions.includes(access)) {
    const who = principal.kind === 'user' ? `role ${principal.role}` : `this API key's scopes`;
    throw new ApiProblem(403, apiErrorCodes.forbidden, `${who} does not grant ${access}`);
  }
}
