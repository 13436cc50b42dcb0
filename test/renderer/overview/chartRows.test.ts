/** The Overview's chart rows: buckets of the metrics history of several queues (renderer/src/overview/chartRows.ts). */
import { describe, expect, it } from 'vitest';
import { chartRows, countTotals } from '../../../renderer/src/overview/chartRows.js';
import type { MetricPoint } from '../../../shared/api/schemas/metrics.js';

/** A second point with every count 0 and no timings, overridden by `fields`. */
function point(at: number, fields: Partial<MetricPoint> = {}): MetricPoint {
  return {
    at,
    enqueued: 0,
    succeeded: 0,
    failed: 0,
    dead: 0,
    cancelled: 0,
    depth: 0,
    depthMax: 0,
    active: 0,
    measured: 0,
    waitP50: null,
    waitP95: null,
    waitP99: null,
    runP50: null,
    runP95: null,
    runP99: null,
    ...fields,
  };
}

describe('chartRows', () => {
  it('sums counts per bucket over periods and queues, oldest bucket first', () => {
    const rows = chartRows(
      [
        { queue: 'mail', points: [point(10_000, { succeeded: 2, enqueued: 3 }), point(11_000, { succeeded: 1, failed: 4 }), point(15_000, { dead: 1 })] },
        { queue: 'billing', points: [point(12_000, { succeeded: 5, cancelled: 2 })] },
      ],
      5_000,
    );
    expect(rows.map((row) => row.at)).toEqual([10_000, 15_000]);
    expect(rows[0]).toMatchObject({ enqueued: 3, succeeded: 8, failed: 4, dead: 0, cancelled: 2 });
    expect(rows[1]).toMatchObject({ enqueued: 0, succeeded: 0, dead: 1 });
    expect(countTotals(rows)).toEqual({ enqueued: 3, succeeded: 8, failed: 4, dead: 1, cancelled: 2 });
  });

  it("keeps each queue's depth from its latest period in the bucket, whatever the order the points come in", () => {
    const rows = chartRows(
      [
        { queue: 'mail', points: [point(3_000, { depth: 9 }), point(1_000, { depth: 4 })] },
        { queue: 'billing', points: [point(2_000, { depth: 1 })] },
      ],
      5_000,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.depth).toEqual({ mail: 9, billing: 1 });
  });

  it('shows the highest percentile of a bucket, ignoring periods with nothing measured, and null when none measured', () => {
    const rows = chartRows(
      [
        {
          queue: 'mail',
          points: [
            point(0, { measured: 3, waitP50: 10, waitP99: 400, runP95: 30 }),
            point(1_000, { measured: 1, waitP50: 25, waitP99: 90, runP95: 12 }),
            point(2_000),
            point(60_000),
          ],
        },
      ],
      60_000,
    );
    expect(rows[0]).toMatchObject({ waitP50: 25, waitP99: 400, runP95: 30, runP50: null });
    expect(rows[1]).toMatchObject({ waitP50: null, waitP95: null, waitP99: null, runP50: null, runP95: null, runP99: null });
  });

  it('answers no rows for no points', () => {
    expect(chartRows([{ queue: 'mail', points: [] }], 5_000)).toEqual([]);
    expect(chartRows([], 5_000)).toEqual([]);
  });
});
