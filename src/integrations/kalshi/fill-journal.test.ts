import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { KalshiFillJournal } from './fill-journal.ts';
import type { GetFillsParams } from './rest-client.ts';
import type { KalshiFill, KalshiWsFill } from './types.ts';
import type { KalshiWsEvents } from './ws-client.ts';

const T = Date.UTC(2025, 7, 3, 19, 40);

function restFill(n: number, overrides: Partial<KalshiFill> = {}): KalshiFill {
  return {
    fillId: `t-${n}`,
    orderId: `o-${n}`,
    ticker: 'KXBTCD-25AUG0316-T115000',
    bookSide: 'bid',
    outcomeSide: 'yes',
    count: 2,
    yesPrice: 5_600,
    noPrice: 4_400,
    isTaker: true,
    fee: 200,
    createdTime: T + n * 1_000 + 123,
    ...overrides,
  };
}

function wsFill(n: number): KalshiWsFill {
  const f = restFill(n);
  return {
    tradeId: f.fillId,
    orderId: f.orderId,
    marketTicker: f.ticker,
    isTaker: f.isTaker,
    bookSide: f.bookSide,
    outcomeSide: f.outcomeSide,
    yesPrice: f.yesPrice,
    noPrice: f.noPrice,
    count: f.count,
    ts: Math.floor(f.createdTime / 1000) * 1000, // the WS says seconds
  };
}

/** REST that shows `visible` fills (newest first, as Kalshi), honouring min_ts in seconds. */
function fakeRest(visible: KalshiFill[]) {
  const calls: GetFillsParams[] = [];
  let failures = 0;
  return {
    calls,
    failNext(n: number) {
      failures = n;
    },
    rest: {
      async getFills(params: GetFillsParams = {}) {
        calls.push(params);
        if (failures > 0) {
          failures -= 1;
          throw new Error('503 after retries');
        }
        const min = params.minTime === undefined ? -Infinity : Math.floor(params.minTime / 1000) * 1000;
        return visible.filter((f) => f.createdTime >= min).sort((a, b) => b.createdTime - a.createdTime);
      },
    },
  };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  expect(condition()).toBe(true);
}

describe('KalshiFillJournal', () => {
  it('dedupes WebSocket repeats, backfills what the WebSocket lost, confirms what it showed', async () => {
    const visible = [restFill(1), restFill(2), restFill(3)];
    const { rest } = fakeRest(visible);
    const journal = new KalshiFillJournal({ rest, since: T });
    const seen: string[] = [];
    journal.on('fill', ({ fill, source }) => seen.push(`${source}:${fill.fillId}`));
    expect(journal.recordWsFill(wsFill(1))).toBe('new');
    expect(journal.recordWsFill(wsFill(1))).toBe('duplicate');
    expect(journal.recordWsFill(wsFill(3))).toBe('new');
    expect(journal.consistent).toBe(false); // unconfirmed by REST so far

    const report = await journal.sync();
    expect(report).toMatchObject({ read: 3, unconfirmed: 0, consistent: true });
    expect(report.added.map((f) => f.fillId)).toEqual(['t-2']);
    expect(seen).toEqual(['ws:t-1', 'ws:t-3', 'rest:t-2']);
    expect(journal.fills().map((f) => [f.fillId, f.createdTime, f.feeCc])).toEqual(
      visible.map((f) => [f.fillId, f.createdTime, 200]),
    );
    expect(journal.stats()).toMatchObject({ wsFills: 2, wsDuplicates: 1, restAdded: 1, backfills: 1 });
  });

  it('backfills after every (re)subscription of the fill channel, not of other channels', async () => {
    const { rest, calls } = fakeRest([restFill(1)]);
    const journal = new KalshiFillJournal({ rest, since: T });
    const ws = new EventEmitter<KalshiWsEvents>();
    const detach = journal.attach(ws);
    const sub = (channel: string) => ({ key: 1, channel, sid: 1, marketTickers: undefined }) as never;
    ws.emit('subscribed', { subscription: sub('orderbook_delta'), resubscribed: false });
    expect(calls).toHaveLength(0);
    ws.emit('subscribed', { subscription: sub('fill'), resubscribed: false });
    await until(() => journal.stats().backfills === 1);
    ws.emit('fill', wsFill(2));
    ws.emit('subscribed', { subscription: sub('fill'), resubscribed: true });
    await until(() => journal.stats().backfills === 2);
    expect(journal.fills().map((f) => f.fillId)).toEqual(['t-1', 't-2']);
    ws.emit('userOrder', { orderId: 'o-7', fillCount: 4 } as never); // its fill message was lost
    expect(journal.shortfalls()).toEqual([{ orderId: 'o-7', expected: 4, recorded: 0 }]);
    expect(journal.consistent).toBe(false);
    detach();
    ws.emit('fill', wsFill(3));
    expect(journal.fills()).toHaveLength(2);
  });

  it('keeps reading from before the oldest unconfirmed fill (REST lag) until REST shows it', async () => {
    const visible = [restFill(1), restFill(5)];
    const { rest, calls } = fakeRest(visible);
    const journal = new KalshiFillJournal({ rest, since: T - 60_000, lookbackMs: 2_000 });
    journal.recordWsFill(wsFill(3)); // REST lags on this one
    await journal.sync();
    expect(journal.unconfirmed().map((e) => e.fillId)).toEqual(['t-3']);
    await journal.sync();
    expect(calls.at(-1)?.minTime).toBe(T + 3_000); // from the unconfirmed fill, not from t-5 − 2 s
    visible.push(restFill(3));
    expect(await journal.sync()).toMatchObject({ consistent: true, unconfirmed: 0 });
    await journal.sync();
    expect(calls.at(-1)?.minTime).toBe(T + 5_123 - 2_000);
  });

  it('reports orders short of fills and reads everything again for them', async () => {
    const visible = [restFill(1)];
    const { rest, calls } = fakeRest(visible);
    const journal = new KalshiFillJournal({ rest, since: T, lookbackMs: 1_000 });
    await journal.sync();
    journal.noteOrder({ orderId: 'o-9', fillCount: 2 });
    expect(await journal.sync()).toMatchObject({ consistent: false, shortfalls: [{ orderId: 'o-9' }] });
    expect(calls.at(-1)?.minTime).toBe(T);
    visible.push(restFill(9));
    expect(await journal.sync()).toMatchObject({ consistent: true, shortfalls: [] });
  });

  it('a failed backfill leaves the journal as it was; concurrent syncs share one queued read', async () => {
    const { rest, calls, failNext } = fakeRest([restFill(1)]);
    const journal = new KalshiFillJournal({ rest, since: T });
    failNext(1);
    await expect(journal.sync()).rejects.toThrow('503');
    expect(journal.fills()).toEqual([]);
    const first = journal.sync();
    const second = journal.sync();
    const third = journal.sync();
    expect(second).toBe(third);
    await Promise.all([first, second]);
    expect(calls).toHaveLength(3);
    expect(journal.stats()).toMatchObject({ backfills: 2, failedBackfills: 1 });
    expect(journal.fills().map((f) => f.fillId)).toEqual(['t-1']);
  });

  it('ignores WebSocket fills from before its start', () => {
    const { rest } = fakeRest([]);
    const journal = new KalshiFillJournal({ rest, since: T + 10_000 });
    expect(journal.recordWsFill(wsFill(1))).toBe('ignored');
    expect(journal.fills()).toEqual([]);
  });
});
