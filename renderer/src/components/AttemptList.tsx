/** Every attempt of a task, oldest first: who ran it, when, how it ended, its error and its log lines. */
import type { TaskDetail } from '../state/tasksStore.js';
import { formatTime } from './formatTime.js';

export function AttemptList({ attempts }: { attempts: TaskDetail['history'] }) {
  if (attempts.length === 0) return <p>No attempts yet.</p>;
  return (
    <ol className="attempts" aria-label="Attempts">
      {attempts.map((attempt) => (
        <li key={attempt.attempt} data-attempt={attempt.attempt}>
          <p>
            <strong>Attempt {attempt.attempt}</strong> on <code>{attempt.workerId}</code>, {formatTime(attempt.startedAt)} → {formatTime(attempt.finishedAt)}:{' '}
            <span className="outcome">{attempt.outcome}</span>
          </p>
          {attempt.error ? (
            <>
              <p className="attempt-error">{attempt.error.message}</p>
              {attempt.error.stack ? <pre>{attempt.error.stack}</pre> : null}
            </>
          ) : null}
          {attempt.logs && attempt.logs.length > 0 ? <pre className="logs">{attempt.logs.join('\n')}</pre> : null}
        </li>
      ))}
    </ol>
  );
}
