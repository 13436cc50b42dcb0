/** The Tasks view's search form: id, queue, state, type and text; empty fields match anything. */
import { useEffect, useState, type FormEvent } from 'react';
import { taskStates, type TaskState } from '../../../shared/task.js';
import { useQueuesStore } from '../state/queuesStore.js';
import { useTasksStore, type TaskFilters } from '../state/tasksStore.js';

export function TaskSearchForm() {
  const { queues, load } = useQueuesStore();
  const { filters, search } = useTasksStore();
  const [draft, setDraft] = useState<TaskFilters>(filters);
  const change = (field: keyof TaskFilters, value: string) => setDraft({ ...draft, [field]: value });

  useEffect(() => {
    void load();
  }, [load]);

  // A search started elsewhere (the enqueue form's "Find it") shows its filters here too.
  useEffect(() => setDraft(filters), [filters]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void search(draft);
  };

  return (
    <form className="task-search" onSubmit={submit} aria-label="Search tasks">
      <label>
        Queue
        <select name="queue" value={draft.queue} onChange={(event) => change('queue', event.target.value)}>
          <option value="">any</option>
          {queues.map((queue) => (
            <option key={queue.definition.name} value={queue.definition.name}>
              {queue.definition.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        State
        <select name="state" value={draft.state} onChange={(event) => change('state', event.target.value as TaskState | '')}>
          <option value="">any</option>
          {taskStates.map((state) => (
            <option key={state} value={state}>
              {state}
            </option>
          ))}
        </select>
      </label>
      <label>
        Type
        <input name="type" value={draft.type} onChange={(event) => change('type', event.target.value)} />
      </label>
      <label>
        Text
        <input name="text" value={draft.text} onChange={(event) => change('text', event.target.value)} placeholder="payload or error" />
      </label>
      <label>
        Id
        <input name="id" value={draft.id} onChange={(event) => change('id', event.target.value)} placeholder="task id" size={38} />
      </label>
      <button type="submit">Search</button>
    </form>
  );
}
