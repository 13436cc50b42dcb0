import { z } from 'zod';
import { roles } from '../../security/permissions.js';

export const usernameSchema = z.string().regex(/^[A-Za-z0-9._@-]{1,64}$/, 'must be 1 to 64 letters, digits, dots, underscores, dashes or @');
/** Length only; the agent also refuses weak passwords and names why. */
export const passwordSchema = z.string().min(1).max(1024);

export const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  role: z.enum(roles),
  disabled: z.boolean(),
  createdAt: z.number(),
  passwordChangedAt: z.number(),
});
export type User = z.infer<typeof userSchema>;

export const createUserRequest = z.strictObject({ username: usernameSchema, password: passwordSchema, role: z.enum(roles) });

/** `PATCH /users/:id`. A new password revokes every session of the user; so does disabling. */
export const updateUserRequest = z
  .strictObject({ role: z.enum(roles).optional(), disabled: z.boolean().optional(), password: passwordSchema.optional() })
  .refine((update) => Object.keys(update).length > 0, { message: 'give at least one of role, disabled, password' });

export const userParams = z.strictObject({ id: z.uuid() });
export const usersResponse = z.object({ users: z.array(userSchema) });
