/** Creates a queue by name, with every other setting at its default. */
import { useState, type FormEvent } from 'react';
import { useQueuesStore } from '../state/queuesStore.js';

export function CreateQueueForm() {
  const createQueue = useQueuesStore((state) => state.createQueue);
  const [name, setName] = useState('');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await createQueue(name.trim())) setName('');
  };

  return (
    <form className="create-queue" onSubmit={(event) => void submit(event)} aria-label="Create queue">
      <label>
        New queue
        <input name="queueName" value={name} onChange={(event) => setName(event.target.value)} placeholder="name" required />
      </label>
      <button type="submit">Create queue</button>
    </form>
  );
}
