import { pino, type Logger } from 'pino';
import { createApiServer } from './api/createApiServer.js';
import { EventBus } from './api/events/EventBus.js';
import { EventHub } from './api/events/EventHub.js';
import type { AgentConfig } from './config/agentConfig.js';
import { agentVersion } from './config/agentVersion.js';
import { prepareDataDirectory } from './config/prepareDataDirectory.js';
import { connectPostgres } from './connections/connectPostgres.js';
import { connectRedis, redactUrl } from './connections/connectRedis.js';
import { LeaseSweeper } from './coordination/LeaseSweeper.js';
import { RedisLeaderLease } from './coordination/RedisLeaderLease.js';
import { WorkerRegistrySync } from './coordination/WorkerRegistrySync.js';
import type { Engine } from './engine/Engine.js';
import { checkRedisServer } from './engine/redis/checkRedisServer.js';
import { RedisEngine } from './engine/redis/RedisEngine.js';
import { QueueCatalog } from './queues/QueueCatalog.js';
import { Archiver } from './records/Archiver.js';
import { startMetrics } from './metrics/startMetrics.js';
import { migrate } from './records/migrate.js';
import { QueueStore } from './records/QueueStore.js';
import { TaskHistory } from './records/TaskHistory.js';
import { WorkerStore } from './records/WorkerStore.js';
import { Scheduler } from './schedules/Scheduler.js';
import { ScheduleStore } from './schedules/ScheduleStore.js';
import { AccessTokens } from './security/AccessTokens.js';
import { ApiKeyRateLimiter } from './security/ApiKeyRateLimiter.js';
import { ApiKeys } from './security/ApiKeys.js';
import { AuditLog } from './security/AuditLog.js';
import { LoginThrottle } from './security/LoginThrottle.js';
import { RefreshTokens } from './security/RefreshTokens.js';
import { SetupToken } from './security/SetupToken.js';
import { UserStore } from './security/UserStore.js';
import { TaskSearch } from './tasks/TaskSearch.js';
import { healthRoutes } from './server/healthRoutes.js';
import { AgentWorkers } from './worker/AgentWorkers.js';
import { HandlerRegistry } from './worker/HandlerRegistry.js';
import { httpRequest, httpRequestType } from './worker/handlers/httpRequest.js';
import { loadHandlersDirectory } from './worker/loadHandlersDirectory.js';
import { RedisWorkerRegistry } from './worker/RedisWorkerRegistry.js';

/** A running agent. `close()` drains its worker and releases everything `start` acquired. */
export interface Agent {
  /** Where its HTTP server listens. */
  url: string;
  agentId: string;
  engine: Engine;
  queues: QueueCatalog;
  isLeader(): boolean;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Default: pino JSON on stdout at `config.logLevel`. */
  log?: Logger;
}

/**
 * Starts an agent: the composition root. It checks every dependency before it serves (a bad
 * setting throws `ConfigError` naming it), then wires the engine, the records, the leader's
 * duties, the worker and the HTTP server. On failure part-way, what was acquired is released.
 */
export async function start(config: AgentConfig, { log = pino({ level: config.logLevel }) }: StartOptions = {}): Promise<Agent> {
  const teardown: Array<() => Promise<void> | void> = [];
  const close = async () => {
    for (const step of teardown.reverse().splice(0)) {
      try {
        await step();
      } catch (error) {
        log.error({ err: error }, 'error while shutting down');
      }
    }
  };
  try {
    const { agentId } = await prepareDataDirectory(config.dataDirectory);

    const redis = await connectRedis(config.redisUrl);
    teardown.push(() => redis.quit().then(() => undefined, () => redis.disconnect()));
    const redisFacts = await checkRedisServer(redis, (message) => log.warn(message));

    const pool = await connectPostgres(config.databaseUrl, log);
    teardown.push(() => pool.end());
    const applied = await migrate(pool, { log });
    if (applied.length > 0) log.info({ migrations: applied.map((migration) => migration.name) }, 'applied migrations');

    const engine = new RedisEngine({ redis, prefix: config.redisPrefix });
    teardown.push(() => engine.close());
    const queues = new QueueCatalog(new QueueStore(pool), engine);
    const restored = await queues.reconcile();
    if (restored.length > 0) log.warn({ queues: restored }, 'Redis had lost these queues; defined them again from Postgres');

    const leader = new RedisLeaderLease({
      redis,
      prefix: config.redisPrefix,
      holderId: agentId,
      onChange: (isLeader) => log.info({ agentId }, isLeader ? 'became the leader' : 'is no longer the leader'),
    });
    await leader.start();
    teardown.push(() => leader.close());
    const isLeader = () => leader.isLeader();

    const archiver = new Archiver({ pool, engine, isLeader, log });
    archiver.start();
    teardown.push(() => archiver.close());
    const metrics = startMetrics({ pool, engine, archiver, isLeader, log });
    teardown.push(metrics.close);
    const schedules = new ScheduleStore(pool);
    const scheduler = new Scheduler({ store: schedules, engine, isLeader, log });
    scheduler.start();
    teardown.push(() => scheduler.close());
    const eventBus = new EventBus({ publisher: redis, subscriber: redis.duplicate(), prefix: config.redisPrefix, log });
    teardown.push(() => eventBus.close());
    teardown.push(archiver.addArchivedListener((queue, tasks) => eventBus.publishArchived(queue, tasks)));
    const sweeper = new LeaseSweeper(engine, isLeader, log);
    sweeper.start();
    teardown.push(() => sweeper.close());
    const registry = new RedisWorkerRegistry({ redis, prefix: config.redisPrefix });
    const registrySync = new WorkerRegistrySync(registry, new WorkerStore(pool), isLeader, log);
    registrySync.start();
    teardown.push(() => registrySync.close());

    if (config.worker) {
      const handlers = new HandlerRegistry().register(httpRequestType, httpRequest);
      if (config.handlersDirectory) {
        const loaded = await loadHandlersDirectory(config.handlersDirectory, handlers);
        log.info({ handlers: loaded.map((handler) => handler.type) }, 'loaded handlers');
      }
      const workers = new AgentWorkers({ engine, handlers, registry, concurrency: config.concurrency, workerId: `${agentId}:${process.pid}`, drainMs: config.drainMs, log });
      await workers.start();
      const stopWatching = queues.onDefine(() => void workers.refresh());
      teardown.push(() => workers.close(config.drainMs));
      teardown.push(stopWatching);
    }

    const setupToken = new SetupToken(pool);
    const events = new EventHub({ engine, workers: registry, bus: eventBus, log });
    teardown.push(() => events.close());
    const history = new TaskHistory(pool);
    const server = await createApiServer(
      {
        engine,
        queues,
        workers: registry,
        users: new UserStore(pool),
        accessTokens: await AccessTokens.open(pool),
        refreshTokens: new RefreshTokens(pool),
        apiKeys: new ApiKeys(pool),
        apiKeyLimiter: new ApiKeyRateLimiter({ redis, prefix: config.redisPrefix, perSecond: config.apiKeyRateLimit }),
        audit: new AuditLog(pool, (entry) => eventBus.publishAudit(entry)),
        loginThrottle: new LoginThrottle({ redis, prefix: config.redisPrefix }),
        setupToken,
        events,
        history,
        search: new TaskSearch(engine, history),
        metrics: metrics.metrics,
        schedules,
        log,
      },
      { corsOrigins: config.corsOrigins, bodyLimitBytes: config.bodyLimitBytes, version: agentVersion() },
    );
    healthRoutes(
      server,
      [
        { name: 'redis', check: async () => void (await redis.ping()) },
        { name: 'postgres', check: async () => void (await pool.query('select 1')) },
      ],
      () => ({ agentId, leader: leader.isLeader(), engines: ['redis'], storage: 'postgres', redis: redisFacts.version }),
    );
    const address = await server.listen({ host: config.host, port: config.port });
    teardown.push(() => server.close());
    const url = address.replace('[::1]', 'localhost');
    log.info({ url, redis: redactUrl(config.redisUrl), database: redactUrl(config.databaseUrl), agentId }, 'agent started');
    const firstAdminToken = await setupToken.issueIfNoUsers();
    if (firstAdminToken) {
      log.warn(
        { setupUrl: `${url}/api/v1/setup` },
        `no users yet: create the first admin with this one-time setup token (POST /api/v1/setup), or run \`switchyard user create --role admin\`: ${firstAdminToken}`,
      );
    }

    return { url, agentId, engine, queues, isLeader, close };
  } catch (error) {
    await close();
    throw error;
  }
}
