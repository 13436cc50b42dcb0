/** The palette's task types by queue (renderer/src/workflows/builder/paletteGroups.ts). */
import { describe, expect, it } from 'vitest';
import { paletteGroups } from '../../../../renderer/src/workflows/builder/paletteGroups.js';

describe('palette groups', () => {
  it('offers each type a worker runs on each of its queues, sorted, once', () => {
    const groups = paletteGroups([
      { queues: ['mail', 'jobs'], types: ['email.send', 'http.request'] },
      { queues: ['jobs'], types: ['order.fetch', 'email.send'] },
      { queues: ['idle'], types: [] },
      { queues: ['legacy'] },
    ]);
    expect(groups).toEqual([
      { queue: 'jobs', types: ['email.send', 'http.request', 'order.fetch'] },
      { queue: 'mail', types: ['email.send', 'http.request'] },
    ]);
    expect(paletteGroups([])).toEqual([]);
  });
});
