import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { FaultController, type HaltableExchange } from './fault-controller.ts';

/** An exchange that records its halts and resolves each when told to. */
function fakeExchange(halted = false) {
  const calls: boolean[] = [];
  const pending: Array<() => void> = [];
  const exchange: { -readonly [K in keyof HaltableExchange]: HaltableExchange[K] } & { open: boolean } = {
    tradingHalted: halted,
    open: true,
    setTradingHalted(next: boolean) {
      if (!exchange.open) throw new Error('closed');
      calls.push(next);
      exchange.tradingHalted = next;
      return new Promise<void>((resolve) => pending.push(resolve));
    },
  };
  return { exchange, calls, pending };
}

function fates(controller: FaultController, n: number): string[] {
  return Array.from({ length: n }, () => controller.wsFate('kalshi', 'orderbook_delta'));
}

describe('FaultController', () => {
  it('starts with no faults and decides nothing without drawing', () => {
    const c = new FaultController();
    expect(c.state.paused).toBe(false);
    expect(fates(c, 100).every((f) => f === 'deliver')).toBe(true);
    expect(c.httpFault('/trade-api/v2/markets')).toBeUndefined();
    expect(c.restDelayMs()).toBe(0);
    expect(c.isVisible(1_000, 1_000)).toBe(true);
  });

  it('makes the same decisions for the same seed, others for another', () => {
    const patch = { ws: { dropShare: 0.2, duplicateShare: 0.1 } };
    const a = new FaultController({ seed: 's1', initial: patch });
    const b = new FaultController({ seed: 's1', initial: patch });
    const c = new FaultController({ seed: 's2', initial: patch });
    const fa = fates(a, 500);
    expect(fates(b, 500)).toEqual(fa);
    expect(fates(c, 500)).not.toEqual(fa);
    a.clear();
    a.update(patch);
    expect(fates(a, 500)).toEqual(fa); // clear restarts the stream
  });

  it('drops and duplicates about the shares asked, only for the targets and types chosen', () => {
    const c = new FaultController({
      initial: {
        ws: { dropShare: 0.3, duplicateShare: 0.1, targets: ['kalshi'], messageTypes: ['orderbook_delta'] },
      },
    });
    const sample = fates(c, 20_000);
    const share = (fate: string) => sample.filter((f) => f === fate).length / sample.length;
    expect(share('drop')).toBeGreaterThan(0.28);
    expect(share('drop')).toBeLessThan(0.32);
    expect(share('duplicate')).toBeGreaterThan(0.085);
    expect(share('duplicate')).toBeLessThan(0.115);
    expect(c.stats().wsDropped + c.stats().wsDuplicated).toBe(sample.filter((f) => f !== 'deliver').length);
    expect(c.wsFate('coinbase', 'orderbook_delta')).toBe('deliver');
    expect(
      Array.from({ length: 200 }, () => c.wsFate('kalshi', 'ticker')).every((f) => f === 'deliver'),
    ).toBe(true);
  });

  it('splits HTTP faults into 429, 5xx before and 5xx after, on the chosen paths', () => {
    const c = new FaultController({
      initial: {
        http: {
          share429: 0.2,
          share5xx: 0.2,
          share5xxAfter: 0.2,
          status5xx: 502,
          pathPrefixes: ['/trade-api/'],
        },
      },
    });
    const counts = { reject429: 0, reject5xx: 0, after: 0, none: 0 };
    for (let i = 0; i < 10_000; i++) {
      const f = c.httpFault('/trade-api/v2/portfolio/orders');
      if (f === undefined) counts.none += 1;
      else if (f.kind === 'fail_after') counts.after += f.status === 502 ? 1 : 0;
      else if (f.status === 429) counts.reject429 += 1;
      else counts.reject5xx += f.status === 502 ? 1 : 0;
    }
    for (const n of [counts.reject429, counts.reject5xx, counts.after]) {
      expect(n).toBeGreaterThan(1_800);
      expect(n).toBeLessThan(2_200);
    }
    expect(counts.none).toBeGreaterThan(3_700);
    expect(c.httpFault('/coinbase/products/BTC-USD/candles')).toBeUndefined();
  });

  it('adds latency with jitter inside [base, base + jitter]', () => {
    const c = new FaultController({ initial: { latency: { restMs: 100, wsMs: 20, jitterMs: 10 } } });
    const rest = Array.from({ length: 500 }, () => c.restDelayMs());
    expect(Math.min(...rest)).toBe(100);
    expect(Math.max(...rest)).toBe(110);
    expect(c.wsDelayMs()).toBeGreaterThanOrEqual(20);
  });

  it('hides recent objects for the read-after-write lag, for the share chosen by key', () => {
    const c = new FaultController({ initial: { readAfterWrite: { lagMs: 500 } } });
    expect(c.isVisible(1_000, 1_499)).toBe(false);
    expect(c.isVisible(1_000, 1_500)).toBe(true);
    c.update({ readAfterWrite: { share: 0.5 } });
    const keys = Array.from({ length: 2_000 }, (_, i) => `order-${i}`);
    const lagging = keys.filter((k) => !c.isVisible(1_000, 1_100, k));
    expect(lagging.length).toBeGreaterThan(850);
    expect(lagging.length).toBeLessThan(1_150);
    // the same object always lags or never does
    expect(keys.filter((k) => !c.isVisible(1_000, 1_100, k))).toEqual(lagging);
    expect(lagging.every((k) => c.visibleFrom(1_000, k) === 1_500)).toBe(true);
  });

  it('rejects invalid patches and keeps the state it had', () => {
    const c = new FaultController({ initial: { paused: true } });
    expect(() => c.update({ ws: { dropShare: 1.5 } })).toThrow(ZodError);
    expect(() => c.update({ ws: { dropShare: 0.7, duplicateShare: 0.7 } })).toThrow(/must not exceed 1/);
    expect(() => c.update({ latency: { restMs: -1 } })).toThrow(ZodError);
    expect(() => c.update({ bogus: true })).toThrow(ZodError);
    expect(() => c.update({ http: { status5xx: 418 } })).toThrow(ZodError);
    expect(c.state.paused).toBe(true);
    expect(c.state.ws.dropShare).toBe(0);
  });

  it('halts and resumes an attached exchange with paused, and adopts its halt when attached', async () => {
    const c = new FaultController();
    const { exchange, calls, pending } = fakeExchange(true);
    const seen: boolean[] = [];
    c.onChange((s) => seen.push(s.paused));
    c.attachExchange(exchange);
    expect(c.paused).toBe(true); // a halt restored with the simulator is still a pause
    expect(seen).toEqual([true]);
    expect(calls).toEqual([]);

    c.update({ latency: { restMs: 5 } }); // no change of paused: the exchange is left alone
    c.clear();
    expect(calls).toEqual([false]);
    let durable = false;
    const settled = c.settled().then(() => (durable = true));
    await Promise.resolve();
    expect(durable).toBe(false); // not before the exchange's write
    pending.shift()!();
    await settled;
    expect(durable).toBe(true);

    c.update({ paused: true });
    c.update({ paused: true });
    expect(calls).toEqual([false, true]);
    exchange.open = false;
    expect(() => c.update({ paused: false })).toThrow('closed');
    expect(c.paused).toBe(true); // refused by the exchange: nothing changed
  });

  it('tells listeners about changes and drops a share of registered connections', () => {
    const c = new FaultController({ seed: 'drops' });
    const seen: boolean[] = [];
    const off = c.onChange((s) => seen.push(s.paused));
    c.update({ paused: true });
    c.clear();
    off();
    c.update({ paused: true });
    expect(seen).toEqual([true, false]);

    const open = { kalshi: Array.from({ length: 400 }, (_, i) => i), coinbase: [1, 2, 3] };
    const dropper = (list: number[]) => (pick: () => boolean) => {
      const before = list.length;
      list.splice(0, list.length, ...list.filter(() => !pick()));
      return before - list.length;
    };
    c.registerConnections('kalshi', dropper(open.kalshi));
    const unregister = c.registerConnections('coinbase', dropper(open.coinbase));
    const half = c.dropConnections({ target: 'kalshi', share: 0.5 });
    expect(half.dropped).toBeGreaterThan(160);
    expect(half.dropped).toBeLessThan(240);
    expect(open.coinbase).toHaveLength(3);
    unregister();
    expect(c.dropConnections({ target: 'all' }).dropped).toBe(400 - half.dropped);
    expect(open.coinbase).toHaveLength(3);
    expect(c.stats().connectionsDropped).toBe(400);
  });
});
