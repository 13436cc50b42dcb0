import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventBus } from '../../../../agent/api/events/EventBus.js';
import { InProcessEventBus } from '../../../../agent/api/events/InProcessEventBus.js';
import { RedisEventBus } from '../../../../agent/api/events/RedisEventBus.js';
import type { AuditEntry } from '../../../../agent/security/AuditLog.js';
import type { Task } from '../../../../shared/task.js';
import { isolatedRedis } from '../../../helpers/redis.js';
import { until } from '../../../helpers/until.js';

const log = pino({ level: 'silent' });
let redis: Awaited<ReturnType<typeof isolatedRedis>>;

beforeAll(async () => {
  redis = await isolatedRedis();
});
afterAll(async () => redis?.cleanup());

const entry = (id: string): AuditEntry => ({
  id,
  at: 1_700_000_000_000,
  actor: { kind: 'user', id: 'u1', name: 'alice', role: 'admin' },
  action: 'queue.pause',
  target: 'queue:mail',
  before: null,
  after: { when: new Date(0) },
  address: null,
});

const task = { id: 't1', queue: 'mail', type: 'send', state: 'succeeded', priority: 0, runAt: 1, attempts: 1, maxAttempts: 3, createdAt: 1, startedAt: 2, finishedAt: 3, error: null, payload: { big: 1 } } as unknown as Task;

/** The same behaviour from both buses. */
describe.each([
  ['RedisEventBus', (): EventBus => new RedisEventBus({ publisher: redis.redis, subscriber: redis.redis.duplicate(), prefix: redis.prefix, log })],
  ['InProcessEventBus', (): EventBus => new InProcessEventBus({ log })],
])('%s', (_name, make) => {
  it('delivers audit entries to every listener as JSON copies, and stops on the stop', async () => {
    const bus = make();
    try {
      const first: unknown[] = [];
      const second: unknown[] = [];
      const stopFirst = await bus.listen('audit', (message) => first.push(message));
      await bus.listen('audit', (message) => second.push(message));
      const published = entry('1');
      bus.publishAudit(published);
      await until(() => first.length === 1 && second.length === 1, { message: 'both listeners to hear the entry' });
      expect(first[0]).toEqual({ ...published, after: { when: new Date(0).toISOString() } });
      expect(first[0]).not.toBe(published);

      stopFirst();
      bus.publishAudit(entry('2'));
      await until(() => second.length === 2, { message: 'the remaining listener to hear the second entry' });
      expect(first).toHaveLength(1);
    } finally {
      await bus.close();
    }
  });

  it('carries archived tasks as summaries, and nothing for an empty batch', async () => {
    const bus = make();
    try {
      const heard: unknown[] = [];
      await bus.listen('archived', (message) => heard.push(message));
      bus.publishArchived('mail', []);
      bus.publishArchived('mail', [task]);
      await until(() => heard.length === 1, { message: 'the archived batch' });
      expect(heard[0]).toMatchObject({ queue: 'mail', tasks: [{ id: 't1', state: 'succeeded' }] });
      expect(JSON.stringify(heard[0])).not.toContain('big');
    } finally {
      await bus.close();
    }
  });

  it('keeps delivering to the others when one listener throws, and never throws into the publisher', async () => {
    const bus = make();
    try {
      const heard: unknown[] = [];
      await bus.listen('audit', () => {
        throw new Error('listener broke');
      });
      await bus.listen('audit', (message) => heard.push(message));
      expect(() => bus.publishAudit(entry('3'))).not.toThrow();
      await until(() => heard.length === 1, { message: 'the second listener to hear the entry' });
    } finally {
      await bus.close();
    }
  });
});
