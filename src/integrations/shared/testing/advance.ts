import type { SimulatedClock } from '../../../core/clock/index.ts';

/** Lets pending promise continuations and I/O callbacks run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Moves a manual SimulatedClock forward in small steps, letting promise chains run between
 * steps — code that schedules its next sleep only after an await (a queue of waiters) needs
 * that turn to put its timer on the clock before time passes it by.
 */
export async function advanceInSteps(clock: SimulatedClock, ms: number, stepMs = 10): Promise<void> {
  let left = ms;
  await settle();
  while (left > 0) {
    const step = Math.min(stepMs, left);
    await clock.advance(step);
    await settle();
    left -= step;
  }
}
