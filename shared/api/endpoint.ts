import type { z } from 'zod';
import type { Permission } from '../security/permissions.js';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/**
 * Who may call an endpoint: anyone (`public`: login, refresh, setup), any signed-in user or key
 * (`authenticated`), a signed-in user but not an API key (`user`: their own password), or
 * whoever holds the permission.
 */
export type Access = 'public' | 'authenticated' | 'user' | Permission;

/**
 * One route of the API, declared once: the agent registers it (validating requests with these
 * schemas and checking `access`), the typed client calls it, OpenAPI documents it, and the role
 * matrix test walks it.
 */
export interface Endpoint {
  method: HttpMethod;
  /** Under `/api/v1`, with `:name` parameters, e.g. `/queues/:name/pause`. */
  path: string;
  summary: string;
  access: Access;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The success body; `null` for 204 No Content. */
  response: z.ZodType | null;
  /** Success status. Default 200 (204 when `response` is null). */
  status?: 200 | 201 | 204;
  /**
   * Whether a successful call is written to the audit log. Default: every method but GET.
   * Sign-in endpoints are not: they change no operator-visible state, and their failures go to
   * the agent's log instead.
   */
  audited?: boolean;
}

/** Declares an endpoint, keeping its literal schema types for the client. */
export function endpoint<const E extends Endpoint>(declared: E): E {
  return declared;
}

export const apiPrefix = '/api/v1';
