/**
 * Frame statistics of a scroll trace. A display refreshes every `frameIntervalMs` (60 Hz, what
 * headless Chromium's `requestAnimationFrame` runs at); a frame that took longer than one interval
 * skipped `round(delta / interval) - 1` refreshes, counted as dropped frames.
 */
import { median, quantile } from '../queue/stats.js';

export const frameIntervalMs = 1_000 / 60;

export interface FrameStats {
  frames: number;
  seconds: number;
  /** 1000 ÷ the median frame time. */
  medianFps: number;
  /** Frames ÷ seconds. */
  meanFps: number;
  medianFrameMs: number;
  p95FrameMs: number;
  maxFrameMs: number;
  droppedFrames: number;
}

export function frameStats(timestamps: readonly number[]): FrameStats {
  const deltas = timestamps.slice(1).map((time, index) => time - timestamps[index]!);
  const sorted = [...deltas].sort((a, b) => a - b);
  const seconds = timestamps.length > 1 ? (timestamps.at(-1)! - timestamps[0]!) / 1_000 : 0;
  const middle = median(deltas);
  return {
    frames: deltas.length,
    seconds,
    medianFps: 1_000 / middle,
    meanFps: seconds > 0 ? deltas.length / seconds : Number.NaN,
    medianFrameMs: middle,
    p95FrameMs: quantile(sorted, 0.95),
    maxFrameMs: sorted.at(-1) ?? Number.NaN,
    droppedFrames: deltas.reduce((sum, delta) => sum + Math.max(0, Math.round(delta / frameIntervalMs) - 1), 0),
  };
}
