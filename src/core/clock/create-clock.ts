import { z } from 'zod';
import { RealClock } from './real-clock.ts';
import { SimulatedClock } from './simulated-clock.ts';

/** Which clock a process runs on; part of the typed configuration. */
export const clockConfigSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('real') }).strict(),
  z
    .object({
      mode: z.literal('simulated'),
      /** Simulated time at start, epoch ms. */
      start: z.number().int().nonnegative(),
      /** Simulated ms per real ms (3600 = an hour per second). */
      rate: z.number().positive().finite(),
    })
    .strict(),
]);

export type ClockConfig = z.infer<typeof clockConfigSchema>;

/** Builds the configured clock; an invalid config throws one line naming the bad field. */
export function createClock(config: ClockConfig): RealClock | SimulatedClock {
  const parsed = clockConfigSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'mode';
    throw new Error(`invalid clock config: ${where}: ${issue?.message ?? 'invalid'}`);
  }
  const valid = parsed.data;
  return valid.mode === 'real'
    ? new RealClock()
    : new SimulatedClock({ start: valid.start, rate: valid.rate });
}

/**
 * Simulated time now, for a timeline on which simulated time was `startMs` at real time
 * `anchorMs` and runs at `rate` simulated ms per real ms. Without an anchor the timeline starts
 * now (at `startMs`, or at the real time when no start is given).
 */
export function simulatedNow(
  timeline: { startMs?: number | undefined; anchorMs?: number | undefined; rate: number },
  realNowMs: number,
): number {
  const anchorMs = timeline.anchorMs ?? realNowMs;
  const startMs = timeline.startMs ?? anchorMs;
  return Math.round(startMs + (realNowMs - anchorMs) * timeline.rate);
}
