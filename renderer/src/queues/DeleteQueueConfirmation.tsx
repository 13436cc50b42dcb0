/**
 * Confirms deleting a queue with every task it holds. The agent refuses (409, field `query.force`)
 * while tasks are active; only then is "Delete anyway" offered, which sends `force=true` (the
 * active tasks' workers will have their acknowledgements refused).
 */
import { useState } from 'react';
import type { QueueSummary } from '../../../shared/api/schemas/queues.js';
import { Confirmation } from '../components/Confirmation.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { useQueuesStore } from '../state/queuesStore.js';

export function DeleteQueueConfirmation({ queue, onDone }: { queue: QueueSummary; onDone(): void }) {
  const { remove, progress } = useQueuesStore();
  const name = queue.definition.name;
  const [refusal, setRefusal] = useState<{ message: string; canForce: boolean } | null>(null);
  const total = Object.values(queue.counts).reduce((sum, count) => sum + count, 0);

  const run = async (force: boolean) => {
    const outcome = await remove(name, force);
    if (outcome.ok) onDone();
    else setRefusal({ message: outcome.message, canForce: !force && outcome.field === 'query.force' });
  };

  return (
    <Confirmation
      title={`Delete queue ${name}`}
      confirmLabel={refusal?.canForce ? `Delete ${name} anyway` : `Delete ${name}`}
      busy={progress[name] !== undefined}
      onConfirm={() => void run(refusal?.canForce ?? false)}
      onCancel={onDone}
    >
      <p>
        Deletes the queue and every task it holds ({total} counted across all states). Its definition is gone afterwards; tasks cannot be
        requeued into it.
      </p>
      {progress[name] ? <p role="status">{progress[name]}</p> : null}
      <ErrorMessage message={refusal?.message ?? null} />
    </Confirmation>
  );
}
