/** Diffing a `run` states frame (renderer/src/workflows/runs/runFrameDiff.ts). */
import { describe, expect, it } from 'vitest';
import { diffRunFrame, withStatuses, type RunNodeStatus } from '../../../../renderer/src/workflows/runs/runFrameDiff.js';

const status = (id: string, fields: Partial<RunNodeStatus> = {}): RunNodeStatus => ({ id, state: 'waiting', starts: 0, items: null, startedAt: null, finishedAt: null, ...fields });
const byId = (nodes: RunNodeStatus[]) => Object.fromEntries(nodes.map((node) => [node.id, node]));

describe('diffing a states frame', () => {
  const before = byId([
    status('a', { state: 'succeeded', starts: 1, startedAt: 10, finishedAt: 20 }),
    status('b', { state: 'running', starts: 1, startedAt: 20 }),
    status('m', { state: 'running', starts: 1, startedAt: 20, items: { total: 10, finished: 3 } }),
    status('c'),
  ]);

  it('reports nothing for an identical frame', () => {
    expect(diffRunFrame(before, Object.values(before).map((node) => ({ ...node, items: node.items && { ...node.items } })))).toEqual({ changed: [], finished: [] });
  });

  it('reports only the nodes that changed, and which of them finished', () => {
    const frame = [
      before.a!,
      status('b', { state: 'failed', starts: 1, startedAt: 20, finishedAt: 30 }),
      status('m', { state: 'running', starts: 1, startedAt: 20, items: { total: 10, finished: 4 } }),
      status('c', { state: 'running', starts: 1, startedAt: 30 }),
    ];
    const diff = diffRunFrame(before, frame);
    expect(diff.changed.map((node) => node.id)).toEqual(['b', 'm', 'c']);
    expect(diff.finished).toEqual(['b']);
  });

  it('counts a node that finished again after a retry, and a node it had not seen that is finished', () => {
    const retried = status('a', { state: 'succeeded', starts: 2, startedAt: 40, finishedAt: 50 });
    expect(diffRunFrame(before, [retried, status('new', { state: 'skipped' })]).finished).toEqual(['a', 'new']);
  });

  it('writes changes over the held statuses without touching the rest', () => {
    const change = status('c', { state: 'running', starts: 1 });
    const next = withStatuses(before, [change]);
    expect(next.c).toBe(change);
    expect(next.a).toBe(before.a);
    expect(before.c!.state).toBe('waiting');
    expect(withStatuses(before, [])).toBe(before);
  });
});
