/** One system `npm run bench -- workflow` measures: a fan-out/fan-in and a chain, each timed to its end. */
export interface FlowSystem {
  name: 'switchyard' | 'bullmq';
  /** Milliseconds from starting a fan-out over `items` no-op tasks, and one task after them all, to its end. */
  fanOut(items: number): Promise<number>;
  /** Milliseconds from starting a chain of `steps` no-op tasks, each after the one before, to its end. */
  chain(steps: number): Promise<number>;
  close(): Promise<void>;
}
