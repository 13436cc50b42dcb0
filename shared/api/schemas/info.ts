import { z } from 'zod';
import { engineKinds } from '../../queue.js';

/** Where the agent keeps its records: a PostgreSQL server (`DATABASE_URL`), or embedded PGlite in its data directory. */
export const storageKinds = ['postgres', 'pglite'] as const;
export type StorageKind = (typeof storageKinds)[number];

/** How agents of a cluster agree (leader lease, event fan-out, rate limits, worker registry): over Redis, or inside one lone agent. */
export const coordinationKinds = ['redis', 'in-process'] as const;
export type CoordinationKind = (typeof coordinationKinds)[number];

/** `GET /info`: what this agent is and what it runs on. `/health/ready` names the same. */
export const agentInfo = z.object({
  version: z.string(),
  agentId: z.string(),
  /** Whether this agent holds the leader lease now. */
  leader: z.boolean(),
  /** The engines queues may be created on in this agent. */
  engines: z.array(z.enum(engineKinds)),
  /** The engine a queue gets when its creator does not name one. */
  defaultEngine: z.enum(engineKinds),
  storage: z.enum(storageKinds),
  coordination: z.enum(coordinationKinds),
});
export type AgentInfo = z.infer<typeof agentInfo>;
