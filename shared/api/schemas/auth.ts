import { z } from 'zod';
import { permissions, roles } from '../../security/permissions.js';
import { passwordSchema, userSchema, usernameSchema } from './users.js';

export const loginRequest = z.strictObject({ username: z.string().min(1).max(64), password: passwordSchema });

/** What login, refresh and setup answer: a short-lived access token and a rotating refresh token. */
export const session = z.object({
  accessToken: z.string(),
  /** Epoch milliseconds. */
  accessTokenExpiresAt: z.number(),
  /** Use once: `POST /auth/refresh` answers a new one and retires this one. */
  refreshToken: z.string(),
  refreshTokenExpiresAt: z.number(),
  user: userSchema,
});
export type Session = z.infer<typeof session>;

export const refreshRequest = z.strictObject({ refreshToken: z.string().min(1).max(512) });

export const changePasswordRequest = z.strictObject({ currentPassword: passwordSchema, newPassword: passwordSchema });

/** `POST /setup`: creates the first admin with the one-time token the agent printed at its first start. */
export const setupRequest = z.strictObject({ token: z.string().min(1).max(512), username: usernameSchema, password: passwordSchema });

/** Who a request acts as. */
export const principalSchema = z.object({
  kind: z.enum(['user', 'apiKey']),
  id: z.string(),
  name: z.string(),
  /** The user's role, or the role of the key's creator. */
  role: z.enum(roles),
  permissions: z.array(z.enum(permissions)),
});
export type PrincipalView = z.infer<typeof principalSchema>;
