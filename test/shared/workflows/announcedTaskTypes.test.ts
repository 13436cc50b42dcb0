/** Task types by queue from what workers announce (shared/workflows/announcedTaskTypes.ts). */
import { describe, expect, it } from 'vitest';
import { announcedTaskTypeCheck, announcedTaskTypes } from '../../../shared/workflows/announcedTaskTypes.js';

describe('announced task types', () => {
  const announced = announcedTaskTypes([
    { queues: ['mail', 'orders'], types: ['send'] },
    { queues: ['orders'], types: ['charge', 'send'] },
    { queues: ['legacy'] },
    { queues: ['quiet'], types: [] },
  ]);

  it('gathers each queue’s types from every worker that claims from it', () => {
    expect(Object.fromEntries([...announced].map(([queue, types]) => [queue, [...types].sort()]))).toEqual({ mail: ['send'], orders: ['charge', 'send'] });
  });

  it('knows a type a worker of its queue announces, refuses one none does, and leaves unannounced queues unchecked', () => {
    const known = announcedTaskTypeCheck(announced);
    expect(known('orders', 'charge')).toBe(true);
    expect(known('mail', 'charge')).toBe(false);
    expect(known('legacy', 'anything')).toBe(true);
    expect(known('nowhere', 'anything')).toBe(true);
  });
});
