import { z } from 'zod';
import { roles } from '../../security/permissions.js';

export const auditEntrySchema = z.object({
  id: z.string(),
  at: z.number(),
  actor: z.object({ kind: z.enum(['user', 'apiKey', 'system']), id: z.string(), name: z.string(), role: z.enum(roles).nullable() }),
  /** The endpoint's name, e.g. `queues.create`. */
  action: z.string(),
  target: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  address: z.string().nullable(),
});

const epochMilliseconds = z.coerce.number().int().min(0);

export const auditQuery = z.strictObject({
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(1_000).optional(),
  action: z.string().max(100).optional(),
  actorId: z.string().max(100).optional(),
  since: epochMilliseconds.optional(),
  until: epochMilliseconds.optional(),
});

export const auditPage = z.object({ entries: z.array(auditEntrySchema), nextCursor: z.string().nullable() });
