import type { Clock } from './clock.ts';

/** The abort reason to reject with; a bare `abort()` gives a DOMException named AbortError. */
function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/** `Clock.sleep` on top of the clock's own timers, shared by every Clock implementation. */
export function sleepOn(clock: Pick<Clock, 'setTimeout' | 'clear'>, ms: number, signal?: AbortSignal) {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = () => {
      clock.clear(handle);
      reject(abortReason(signal as AbortSignal));
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
