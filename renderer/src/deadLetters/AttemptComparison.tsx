/**
 * A task's attempts side by side, one column each, oldest first: worker, times, outcome, error
 * message and stack aligned in rows, so what changed between attempts (a different worker, a
 * different line in the stack) stands out. A row whose value differs from the first attempt's is
 * marked `data-differs`.
 */
import { formatTime } from '../components/formatTime.js';
import type { DeadTask } from './deadLettersStore.js';

type Attempt = DeadTask['history'][number];

const rows: Array<{ label: string; value(attempt: Attempt): string; pre?: boolean }> = [
  { label: 'Worker', value: (attempt) => attempt.workerId },
  { label: 'Started', value: (attempt) => formatTime(attempt.startedAt) },
  { label: 'Ended', value: (attempt) => formatTime(attempt.finishedAt) },
  { label: 'Outcome', value: (attempt) => attempt.outcome },
  { label: 'Error', value: (attempt) => attempt.error?.message ?? '—' },
  { label: 'Code', value: (attempt) => attempt.error?.code ?? '—' },
  { label: 'Stack', value: (attempt) => attempt.error?.stack ?? '—', pre: true },
];

export function AttemptComparison({ attempts }: { attempts: Attempt[] }) {
  if (attempts.length === 0) return <p>No attempts recorded.</p>;
  return (
    <div className="attempt-comparison">
      <table aria-label="Attempts side by side">
        <thead>
          <tr>
            <td />
            {attempts.map((attempt) => (
              <th scope="col" key={attempt.attempt}>
                Attempt {attempt.attempt}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const first = row.value(attempts[0]!);
            return (
              <tr key={row.label}>
                <th scope="row">{row.label}</th>
                {attempts.map((attempt) => {
                  const value = row.value(attempt);
                  return (
                    <td key={attempt.attempt} data-differs={value !== first ? true : undefined}>
                      {row.pre ? <pre>{value}</pre> : value}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
