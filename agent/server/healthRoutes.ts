import type { FastifyInstance } from 'fastify';

/** A dependency the agent needs; `check` throws when it is not usable. */
export interface HealthCheck {
  name: string;
  check(): Promise<void>;
}

/**
 * `/health/live`: the process answers. `/health/ready`: every dependency answers too; 503 with
 * the failing ones named otherwise (for load balancers and systemd watchdogs).
 */
export function healthRoutes(server: FastifyInstance, checks: readonly HealthCheck[], describe: () => Record<string, unknown>): void {
  server.get('/health/live', async () => ({ status: 'live' }));
  server.get('/health/ready', async (_request, reply) => {
    const results = await Promise.all(
      checks.map(async ({ name, check }) => {
        try {
          await withTimeout(check(), 2_000);
          return [name, 'ok'] as const;
        } catch (error) {
          return [name, (error as Error).message] as const;
        }
      }),
    );
    const ready = results.every(([, result]) => result === 'ok');
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(results), ...describe() });
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
