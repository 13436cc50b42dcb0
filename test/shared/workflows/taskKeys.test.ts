/** The keys of workflow tasks and reading them back (shared/workflows/taskKeys.ts). */
import { describe, expect, it } from 'vitest';
import { placeOfTaskKey, taskKey } from '../../../shared/workflows/taskKeys.js';

const run = '0f5e1c2a-3b4d-4e6f-8a9b-0c1d2e3f4a5b';

describe('workflow task keys', () => {
  it('reads back the run, node, start and item a key was made of', () => {
    expect(placeOfTaskKey(taskKey(run, 'charge', 2))).toEqual({ runId: run, nodeId: 'charge', start: 2, index: null });
    expect(placeOfTaskKey(taskKey(run, 'lines', 1, 37))).toEqual({ runId: run, nodeId: 'lines', start: 1, index: 37 });
  });

  it('answers undefined for keys a workflow did not make', () => {
    for (const key of ['order-42', `wf:${run}`, `wf:not-a-run:charge:1`, `wf:${run}:bad-node:1`, `wf:${run}:charge:one`]) expect(placeOfTaskKey(key)).toBeUndefined();
  });
});
