/** States to what the run view shows (renderer/src/workflows/runs/nodeDisplay.ts). */
import { describe, expect, it } from 'vitest';
import { displayLabels, displayState, displayStates, isFinished, runIsLive } from '../../../../renderer/src/workflows/runs/nodeDisplay.js';

describe('node display states', () => {
  it('shows a waiting node of a paused run as paused, and every other state as it is', () => {
    expect(displayState('waiting', 'paused')).toBe('paused');
    expect(displayState('waiting', 'running')).toBe('waiting');
    expect(displayState('running', 'paused')).toBe('running');
    expect(displayState('failed', 'failed')).toBe('failed');
    expect(displayState('succeeded', 'paused')).toBe('succeeded');
  });

  it('has a legend label for every shown state', () => {
    expect(displayStates).toEqual(['waiting', 'paused', 'running', 'succeeded', 'failed', 'skipped', 'cancelled']);
    for (const state of displayStates) expect(displayLabels[state]).toMatch(/^[A-Z]/);
  });

  it('knows which node states are finished and which runs can still move', () => {
    expect(['waiting', 'running', 'succeeded', 'failed', 'skipped', 'cancelled'].filter((state) => isFinished(state as never))).toEqual(['succeeded', 'failed', 'skipped', 'cancelled']);
    expect(runIsLive('running') && runIsLive('paused')).toBe(true);
    expect(runIsLive('succeeded') || runIsLive('failed') || runIsLive('cancelled')).toBe(false);
  });
});
