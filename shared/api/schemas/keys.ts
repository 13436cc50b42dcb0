import { z } from 'zod';
import { permissions, roles } from '../../security/permissions.js';

export const apiKeySchema = z.object({
  id: z.string(),
  /** The public part of the key (`sy_<prefix>_…`), shown in lists to tell keys apart. */
  prefix: z.string(),
  name: z.string(),
  scopes: z.array(z.enum(permissions)),
  createdBy: z.string().nullable(),
  createdByRole: z.enum(roles),
  createdAt: z.number(),
  expiresAt: z.number().nullable(),
  lastUsedAt: z.number().nullable(),
  revokedAt: z.number().nullable(),
});

export const createApiKeyRequest = z.strictObject({
  name: z.string().min(1).max(100),
  scopes: z.array(z.enum(permissions)).min(1),
  /** Epoch milliseconds; omit for a key that does not expire. */
  expiresAt: z.int().min(0).optional(),
});

/** The key itself appears in this answer only; the agent keeps only its hash. */
export const createdApiKey = z.object({ key: z.string(), apiKey: apiKeySchema });

export const apiKeyParams = z.strictObject({ id: z.uuid() });
export const apiKeysResponse = z.object({ keys: z.array(apiKeySchema) });
