import type { Redis } from 'ioredis';
import { pino, type Logger } from 'pino';
import type pg from 'pg';
import type { AgentInfo } from '../shared/api/schemas/info.js';
import { createApiServer } from './api/createApiServer.js';
import { EventHub } from './api/events/EventHub.js';
import type { AgentConfig } from './config/agentConfig.js';
import { agentVersion } from './config/agentVersion.js';
import { prepareDataDirectory } from './config/prepareDataDirectory.js';
import { connectPostgres } from './connections/connectPostgres.js';
import { connectRedis, redactUrl } from './connections/connectRedis.js';
import { openStorage } from './connections/openStorage.js';
import { inProcessCoordination } from './coordination/inProcessCoordination.js';
import { LeaseSweeper } from './coordination/LeaseSweeper.js';
import { redisCoordination } from './coordination/redisCoordination.js';
import { WorkerRegistrySync } from './coordination/WorkerRegistrySync.js';
import type { Engine } from './engine/Engine.js';
import { EngineRouter } from './engine/EngineRouter.js';
import { PostgresEngine } from './engine/postgres/PostgresEngine.js';
import { checkRedisServer, type RedisServerFacts } from './engine/redis/checkRedisServer.js';
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
import { RunDriver } from './workflows/RunDriver.js';
import { RunEngine } from './workflows/RunEngine.js';
import { RunStore } from './workflows/RunStore.js';
import { WorkflowStore } from './workflows/WorkflowStore.js';
import { AccessTokens } from './security/AccessTokens.js';
import { ApiKeys } from './security/ApiKeys.js';
import { AuditLog } from './security/AuditLog.js';
import { RefreshTokens } from './security/RefreshTokens.js';
import { SetupToken } from './security/SetupToken.js';
import { UserStore } from './security/UserStore.js';
import { TaskSearch } from './tasks/TaskSearch.js';
import { healthRoutes } from './server/healthRoutes.js';
import { AgentWorkers } from './worker/AgentWorkers.js';
import { HandlerRegistry } from './worker/HandlerRegistry.js';
import { httpRequest, httpRequestType } from './worker/handlers/httpRequest.js';
import { loadHandlersDirectory } from './worker/loadHandlersDirectory.js';

/** A running agent. `close()` drains its worker and releases everything `start` acquired. */
export interface Agent {
  /** Where its HTTP server listens. */
  url: string;
  agentId: string;
  /** Every engine this agent has, behind one router: each queue goes to the engine it was created on. */
  engine: EngineRouter;
  queues: QueueCatalog;
  isLeader(): boolean;
  /** What it is and runs on, as `GET /api/v1/info` answers. */
  info(): AgentInfo;
  /** The one-time token to create the first admin with (`POST /api/v1/setup`), when it started with no users; else null. */
  setupToken: string | null;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Default: pino JSON on stdout at `config.logLevel`. */
  log?: Logger;
}

/**
 * Starts an agent: the composition root. It checks every dependency before it serves (a bad
 * setting throws `ConfigError` naming it), then wires the records, the engines, the coordination,
 * the leader's duties, the worker and the HTTP server. On failure part-way, what was acquired is
 * released. The differences between modes are chosen here once: records on a PostgreSQL server or
 * in embedded PGlite (`openStorage`); with Redis, both engines and coordination over Redis;
 * without it, the `postgres` engine alone and coordination in-process.
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

    const redis = config.redisUrl === null ? null : await connectRedis(config.redisUrl);
    let redisFacts: RedisServerFacts | null = null;
    if (redis) {
      teardown.push(() => redis.quit().then(() => undefined, () => redis.disconnect()));
      redisFacts = await checkRedisServer(redis, (message) => log.warn(message));
    }

    // Records after Redis (a bad Redis fails fast); embedded PGlite is closed after everything that uses it.
    const storage = await openStorage(config);
    teardown.push(storage.close);
    const pool = await connectPostgres(storage.url, log, { max: storage.poolSize });
    teardown.push(() => pool.end());
    const applied = await migrate(pool, { log });
    if (applied.length > 0) log.info({ migrations: applied.map((migration) => migration.name) }, 'applied migrations');

    const engine = new EngineRouter(engines({ redis, pool, config, log }));
    teardown.push(() => engine.close());
    const queues = new QueueCatalog(new QueueStore(pool), engine, engine.kinds);
    const { restored, unavailable } = await queues.reconcile();
    if (restored.length > 0) log.warn({ queues: restored }, 'an engine had lost these queues (a flushed or replaced Redis); defined them again from Postgres');
    if (unavailable.length > 0) log.warn({ queues: unavailable, engines: engine.kinds }, 'these queues live on an engine this agent does not have (start it with --redis to serve them)');

    const coordinationOptions = { agentId, apiKeyRateLimit: config.apiKeyRateLimit, log };
    const coordination = redis ? await redisCoordination(redis, config.redisPrefix, coordinationOptions) : await inProcessCoordination(coordinationOptions);
    teardown.push(() => coordination.close());
    const { leader, bus: eventBus, workers: registry } = coordination;
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
    teardown.push(archiver.addArchivedListener((queue, tasks) => eventBus.publishArchived(queue, tasks)));
    const sweeper = new LeaseSweeper(engine, isLeader, log);
    sweeper.start();
    teardown.push(() => sweeper.close());
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

    const info = (): AgentInfo => ({
      version: agentVersion(),
      agentId,
      leader: leader.isLeader(),
      engines: [...engine.kinds],
      defaultEngine: engine.kind,
      storage: storage.kind,
      coordination: coordination.kind,
    });
    const setupToken = new SetupToken(pool);
    const history = new TaskHistory(pool);
    const workflows = new WorkflowStore(pool);
    const runs = new RunStore(pool);
    const events = new EventHub({ engine, workers: registry, bus: eventBus, runs, log });
    teardown.push(() => events.close());
    const runEngine = new RunEngine({ runs, workflows, engine, log });
    const runDriver = new RunDriver({ runs, runEngine, engine, history, isLeader, log });
    runEngine.onWorkStarted = () => runDriver.wake();
    runEngine.onRunEnded = (run) => runDriver.runEnded(run);
    teardown.push(() => runDriver.close());
    await runDriver.start();
    const server = await createApiServer(
      {
        engine,
        queues,
        workers: registry,
        users: new UserStore(pool),
        accessTokens: await AccessTokens.open(pool, { ttlSeconds: config.accessTokenTtlSeconds }),
        refreshTokens: new RefreshTokens(pool),
        apiKeys: new ApiKeys(pool),
        apiKeyLimiter: coordination.apiKeyLimiter,
        audit: new AuditLog(pool, (entry) => eventBus.publishAudit(entry)),
        loginThrottle: coordination.loginThrottle,
        setupToken,
        events,
        history,
        search: new TaskSearch(engine, history),
        metrics: metrics.metrics,
        schedules,
        workflows,
        runs,
        runEngine,
        info,
        log,
      },
      { corsOrigins: config.corsOrigins, bodyLimitBytes: config.bodyLimitBytes, version: agentVersion() },
    );
    healthRoutes(server, [...coordination.checks, { name: storage.kind, check: async () => void (await pool.query('select 1')) }], () => ({
      ...info(),
      ...(redisFacts ? { redis: redisFacts.version } : {}),
    }));
    const address = await server.listen({ host: config.host, port: config.port });
    teardown.push(() => server.close());
    const url = address.replace('[::1]', 'localhost');
    log.info(
      { url, redis: config.redisUrl && redactUrl(config.redisUrl), database: storage.describe, agentId, engines: engine.kinds, coordination: coordination.kind },
      'agent started',
    );
    const firstAdminToken = (await setupToken.issueIfNoUsers()) ?? null;
    if (firstAdminToken) {
      log.warn(
        { setupUrl: `${url}/api/v1/setup` },
        `no users yet: create the first admin with this one-time setup token (POST /api/v1/setup), or run \`switchyard user create --role admin\`: ${firstAdminToken}`,
      );
    }

    return { url, agentId, engine, queues, isLeader, info, setupToken: firstAdminToken, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The engines of this agent, the default first: `redis` when it has Redis; `postgres` always, on the records' database. */
function engines({ redis, pool, config, log }: { redis: Redis | null; pool: pg.Pool; config: AgentConfig; log: Logger }): Engine[] {
  const postgres = new PostgresEngine({ pool, log });
  return redis ? [new RedisEngine({ redis, prefix: config.redisPrefix }), postgres] : [postgres];
}
