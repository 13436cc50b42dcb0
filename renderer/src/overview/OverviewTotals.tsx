/** The Overview's headline numbers: what happened in the whole range, summed over the charted queues. */
import type { countTotals } from './chartRows.js';

const labels = { enqueued: 'Enqueued', succeeded: 'Completed', failed: 'Failed attempts', dead: 'Dead', cancelled: 'Cancelled' } as const;

export function OverviewTotals({ totals, rangeLabel }: { totals: ReturnType<typeof countTotals>; rangeLabel: string }) {
  return (
    <dl className="overview-totals" aria-label={`Totals over the last ${rangeLabel}`}>
      {(Object.keys(labels) as Array<keyof typeof labels>).map((field) => (
        <div key={field}>
          <dt>{labels[field]}</dt>
          <dd data-total={field}>{totals[field]}</dd>
        </div>
      ))}
    </dl>
  );
}
