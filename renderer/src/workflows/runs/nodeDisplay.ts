/**
 * What the run view shows for a node's state: the engine's node states, plus "paused" for a
 * waiting node of a paused run (it would start if the run were running). One label per shown
 * state, in the order of the legend; colours come from runs.css by `data-state`.
 */
import type { runNodeStateNames, runStateNames } from '../../../../shared/api/schemas/workflowRuns.js';

export type RunNodeState = (typeof runNodeStateNames)[number];
export type RunState = (typeof runStateNames)[number];

/** A node's state as the view shows it (and as `data-state` carries it). */
export type DisplayState = RunNodeState | 'paused';

/** The legend, in the order a node goes through them. */
export const displayStates: readonly DisplayState[] = ['waiting', 'paused', 'running', 'succeeded', 'failed', 'skipped', 'cancelled'];

export const displayLabels: Record<DisplayState, string> = {
  waiting: 'Queued / waiting',
  paused: 'Paused',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  skipped: 'Skipped',
  cancelled: 'Cancelled',
};

const finishedStates: ReadonlySet<RunNodeState> = new Set(['succeeded', 'failed', 'skipped', 'cancelled']);

export function displayState(state: RunNodeState, runState: RunState): DisplayState {
  return state === 'waiting' && runState === 'paused' ? 'paused' : state;
}

/** Whether a node in `state` has finished (for now: a retry may reset it). */
export function isFinished(state: RunNodeState): boolean {
  return finishedStates.has(state);
}

/** Whether a run in `state` may still change without anyone acting. */
export function runIsLive(state: RunState): boolean {
  return state === 'running' || state === 'paused';
}
