import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../core/db/index.ts';
import type { MarketRow } from '../../domain/market-data/market-snapshot.ts';
import { ENGINES } from '../../../test/storage/engines.ts';
import { marketSnapshotFile, writeJsonAtomic } from './json-file.ts';
import {
  countMarketSnapshots,
  deleteMarketSnapshotsBefore,
  insertMarketSnapshot,
  readMarketSnapshots,
} from './market-snapshot-repository.ts';
import { deletePricesBefore, insertPrices, MarketStoreError, readPrices } from './price-log-repository.ts';
import { decodeRows, encodeRows } from './snapshot-codec.ts';

const EVENT = 'KXBTCD-25AUG0316';
const T0 = Date.UTC(2025, 7, 3, 19, 0, 0);

function row(strike: number, overrides: Partial<MarketRow> = {}): MarketRow {
  return {
    ticker: `${EVENT}-T${strike - 1}.99`,
    strike,
    status: 'active',
    hasBook: true,
    yesBid: 4_500,
    yesAsk: 5_300,
    noBid: 4_700,
    noAsk: 5_500,
    yesBidSize: 10,
    noBidSize: 7,
    lastTrade: 5_000,
    volume: 120,
    ...overrides,
  };
}

const ROWS: MarketRow[] = [
  row(114_500),
  row(114_750, { yesBid: null, noAsk: null, yesBidSize: 0, lastTrade: null, volume: null }),
  row(115_000, {
    hasBook: false,
    yesBid: null,
    noAsk: null,
    noBid: null,
    yesAsk: null,
    yesBidSize: 0,
    noBidSize: 0,
  }),
  row(115_250, { status: 'closed' }),
];

describe('snapshot codec', () => {
  it('round-trips rows exactly, asks rebuilt from the opposite bids', () => {
    const stored = encodeRows(EVENT, ROWS);
    expect(stored.suffix).toEqual(['T114499.99', 'T114749.99', 'T114999.99', 'T115249.99']);
    expect(decodeRows(EVENT, JSON.parse(JSON.stringify(stored)))).toEqual(ROWS);
  });

  it('refuses a row of another event and columns of unequal length', () => {
    expect(() => encodeRows('KXBTCD-25AUG0317', ROWS)).toThrow(/not in event KXBTCD-25AUG0317/);
    const stored = encodeRows(EVENT, ROWS);
    expect(() => decodeRows(EVENT, { ...stored, volume: stored.volume.slice(1) })).toThrow(
      /one entry per strike/,
    );
    expect(() => decodeRows(EVENT, { ...stored, yesBid: [0, null, null, 1] })).toThrow();
  });
});

describe('atomic JSON file', () => {
  it('replaces the file whole and leaves no temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recio-snap-'));
    const path = marketSnapshotFile(dir, 'BTC');
    expect(path).toBe(join(dir, 'snapshots', 'market-btc.json'));
    await writeJsonAtomic(path, { a: 1 });
    await Promise.all([writeJsonAtomic(path, { a: 2 }), writeJsonAtomic(path, { a: 3 })]);
    expect([2, 3]).toContain(JSON.parse(readFileSync(path, 'utf8')).a);
    expect(readdirSync(join(dir, 'snapshots'))).toEqual(['market-btc.json']);
  });

  it('keeps the previous file when the value cannot be written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recio-snap-'));
    const path = marketSnapshotFile(dir, 'ETH');
    await writeJsonAtomic(path, { ok: true });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(writeJsonAtomic(path, cyclic)).rejects.toThrow(/circular/);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ ok: true });
    expect(readdirSync(join(dir, 'snapshots'))).toEqual(['market-eth.json']);
  });
});

describe.each(ENGINES)('market data storage on $name', (engine) => {
  let db: DatabaseHandle['db'];
  let close: () => Promise<void>;
  beforeAll(async () => {
    const opened = await engine.open();
    db = opened.handle.db;
    close = opened.close;
  });
  afterAll(() => close());

  it('logs 1-s prices per mode and symbol, keeps the first write of a second, prunes by age', async () => {
    const prices = [0, 1, 2].map((i) => ({
      secondMs: T0 + i * 1_000,
      priceCents: 11_475_012 + i,
      carried: i === 1,
    }));
    await insertPrices(db, 'paper', 'BTC', prices);
    await insertPrices(db, 'paper', 'BTC', [{ secondMs: T0, priceCents: 1, carried: false }]);
    await insertPrices(db, 'live', 'BTC', [{ secondMs: T0, priceCents: 11_400_000, carried: false }]);
    await insertPrices(db, 'paper', 'ETH', [{ secondMs: T0, priceCents: 380_000, carried: false }]);

    expect(await readPrices(db, 'paper', 'BTC', T0, T0 + 10_000)).toEqual(prices);
    expect(await readPrices(db, 'live', 'BTC', T0, T0 + 10_000)).toHaveLength(1);

    expect(await deletePricesBefore(db, T0 + 2_000, 'BTC')).toBe(3); // two paper, one live
    expect(await readPrices(db, 'paper', 'BTC', T0, T0 + 10_000)).toEqual([prices[2]]);
    expect(await readPrices(db, 'paper', 'ETH', T0, T0 + 10_000)).toHaveLength(1);
  });

  it('refuses an unknown symbol or mode and a non-second time before any SQL', async () => {
    await expect(insertPrices(db, 'paper', 'DOGE' as 'BTC', [])).rejects.toThrow(MarketStoreError);
    await expect(readPrices(db, 'prod' as 'live', 'BTC', 0, 1)).rejects.toThrow(/unknown mode/);
    await expect(
      insertPrices(db, 'paper', 'BTC', [{ secondMs: T0 + 1, priceCents: 1, carried: false }]),
    ).rejects.toThrow(/not a whole second/);
  });

  it('stores market snapshots, reads them back exactly, prunes by age', async () => {
    const snapshot = {
      symbol: 'BTC' as const,
      eventTicker: EVENT,
      closeTimeMs: T0 + 3_600_000,
      seq: 7,
      rows: ROWS,
    };
    await insertMarketSnapshot(db, 'paper', { ...snapshot, at: T0 });
    await insertMarketSnapshot(db, 'paper', { ...snapshot, at: T0 + 10_000, seq: 8 });
    await insertMarketSnapshot(db, 'demo', { ...snapshot, at: T0 });

    const read = await readMarketSnapshots(db, 'paper', 'BTC', T0, T0 + 60_000);
    expect(read).toEqual([
      { ...snapshot, at: T0 },
      { ...snapshot, at: T0 + 10_000, seq: 8 },
    ]);
    expect(await countMarketSnapshots(db, 'demo', 'BTC')).toBe(1);
    expect(await deleteMarketSnapshotsBefore(db, T0 + 1)).toBe(2);
    expect(await countMarketSnapshots(db, 'paper', 'BTC')).toBe(1);
  });
});
