import { describe, it, expect } from 'vitest';
import {
  eventTicker,
  floorStrikeFromStrike,
  hourlyClosesBetween,
  hourlySchedule,
  isHourlyClose,
  marketTicker,
  newYorkWallTime,
  nextCloseTime,
  parseEventTicker,
  parseMarketTicker,
  strikeFromFloorStrike,
} from './tickers.ts';

const H = 3_600_000;

describe('event tickers', () => {
  it('names the event by its closing hour in New York (EDT)', () => {
    expect(eventTicker('BTC', Date.parse('2025-08-03T20:00:00Z'))).toBe('KXBTCD-25AUG0316');
    expect(eventTicker('ETH', Date.parse('2025-07-26T19:00:00Z'))).toBe('KXETHD-25JUL2615');
  });

  it('uses EST in winter, hour 00 at midnight and the New York date', () => {
    expect(eventTicker('BTC', Date.parse('2025-12-31T05:00:00Z'))).toBe('KXBTCD-25DEC3100');
    expect(eventTicker('BTC', Date.parse('2026-01-01T04:00:00Z'))).toBe('KXBTCD-25DEC3123');
    expect(eventTicker('BTC', Date.parse('2026-01-15T17:00:00Z'))).toBe('KXBTCD-26JAN1512');
  });

  it('handles the end of daylight saving (2025-11-02: 01:00 ET happens twice)', () => {
    const first = Date.parse('2025-11-02T05:00:00Z'); // 01:00 EDT
    const second = Date.parse('2025-11-02T06:00:00Z'); // 01:00 EST
    expect(eventTicker('BTC', first)).toBe('KXBTCD-25NOV0201');
    expect(eventTicker('BTC', second)).toBe('KXBTCD-25NOV0201');
    expect(eventTicker('BTC', second + H)).toBe('KXBTCD-25NOV0202');
    expect(parseEventTicker('KXBTCD-25NOV0201').closeTimeCandidates).toEqual([first, second]);
    // One ticker names one event: the repeated hour is not a close.
    expect(isHourlyClose(first)).toBe(true);
    expect(isHourlyClose(second)).toBe(false);
    expect(hourlyClosesBetween(first - H, second + H)).toEqual([first, second + H]);
  });

  it('handles the start of daylight saving (2026-03-08: no 02:00 ET)', () => {
    const oneAm = Date.parse('2026-03-08T06:00:00Z'); // 01:00 EST
    expect(eventTicker('BTC', oneAm)).toBe('KXBTCD-26MAR0801');
    expect(eventTicker('BTC', oneAm + H)).toBe('KXBTCD-26MAR0803'); // 03:00 EDT
    expect(parseEventTicker('KXBTCD-26MAR0802').closeTimeCandidates).toEqual([]);
    expect(parseEventTicker('KXBTCD-26MAR0803').closeTimeCandidates).toEqual([oneAm + H]);
    expect(hourlyClosesBetween(oneAm - H, oneAm + 2 * H)).toEqual([oneAm, oneAm + H, oneAm + 2 * H]);
  });

  it('parses back to the close time', () => {
    const parsed = parseEventTicker('KXBTCD-25AUG0316');
    expect(parsed.symbol).toBe('BTC');
    expect(parsed.seriesTicker).toBe('KXBTCD');
    expect(parsed.close).toEqual({ year: 2025, month: 8, day: 3, hour: 16, minute: 0, second: 0 });
    expect(parsed.closeTimeCandidates).toEqual([Date.parse('2025-08-03T20:00:00Z')]);
  });

  it('round-trips every hour of a year', () => {
    const start = Date.parse('2025-01-01T00:00:00Z');
    for (let t = start; t < start + 366 * 24 * H; t += H) {
      const ticker = eventTicker('ETH', t);
      expect(parseEventTicker(ticker).closeTimeCandidates).toContain(t);
    }
  });

  it('rejects bad input with a clear error', () => {
    expect(() => eventTicker('BTC', Date.parse('2025-08-03T20:30:00Z'))).toThrow(/on the hour/);
    expect(() => parseEventTicker('KXBTCD-25AUG03')).toThrow(/not an hourly event ticker/);
    expect(() => parseEventTicker('KXFOO-25AUG0316')).toThrow(/unknown series/);
    expect(() => parseEventTicker('KXBTCD-25ABC0316')).toThrow(/unknown month/);
    expect(() => parseEventTicker('KXBTCD-25AUG0325')).toThrow(/invalid/);
  });
});

describe('market tickers and strikes', () => {
  it('writes floor_strike = strike − 0.01 in the ticker', () => {
    expect(marketTicker('KXBTCD-25AUG0316', 114_750)).toBe('KXBTCD-25AUG0316-T114749.99');
    expect(marketTicker('KXETHD-25AUG0316', 3_860)).toBe('KXETHD-25AUG0316-T3859.99');
    expect(floorStrikeFromStrike(114_750)).toBe(114_749.99);
  });

  it('parses strikes as integers', () => {
    const parsed = parseMarketTicker('KXBTCD-25AUG0316-T114749.99');
    expect(parsed.strike).toBe(114_750);
    expect(parsed.floorStrikeText).toBe('114749.99');
    expect(parsed.event.eventTicker).toBe('KXBTCD-25AUG0316');
    expect(() => parseMarketTicker('KXBTCD-25AUG0316-T114749.50')).toThrow(/not an hourly market/);
  });

  it('converts floor_strike to the integer strike', () => {
    expect(strikeFromFloorStrike(114_749.99)).toBe(114_750);
    expect(strikeFromFloorStrike(3_859.99)).toBe(3_860);
    expect(strikeFromFloorStrike(0.99)).toBe(1);
    expect(() => strikeFromFloorStrike(Number.NaN)).toThrow(/floor_strike/);
  });

  it('round-trips the real 2025 event', async () => {
    // The test (not the domain code) reads the shared fixture; a dynamic import keeps fs out of domain/.
    const { readFile } = await import('node:fs/promises');
    const raw = JSON.parse(
      await readFile(
        new URL('../../../../shared/data/kalshi-2025/event_KXBTCD-25JUL2615.json', import.meta.url),
        'utf8',
      ),
    ) as {
      data: {
        event: { event_ticker: string; strike_date: string };
        markets: { ticker: string; floor_strike: number; open_time: string; close_time: string }[];
      };
    };
    const close = Date.parse(raw.data.event.strike_date);
    expect(eventTicker('BTC', close)).toBe(raw.data.event.event_ticker);
    expect(raw.data.markets).toHaveLength(75);
    for (const market of raw.data.markets) {
      const strike = strikeFromFloorStrike(market.floor_strike);
      expect(marketTicker(raw.data.event.event_ticker, strike)).toBe(market.ticker);
      expect(parseMarketTicker(market.ticker).strike).toBe(strike);
      const schedule = hourlySchedule(close);
      expect(schedule.openTime).toBe(Date.parse(market.open_time));
      expect(schedule.closeTime).toBe(Date.parse(market.close_time));
    }
  });
});

describe('hourly schedule', () => {
  it('opens one hour before the close; expected expiration 5 min after', () => {
    const close = Date.parse('2025-08-03T20:00:00Z');
    expect(hourlySchedule(close)).toEqual({
      openTime: close - H,
      closeTime: close,
      expectedExpirationTime: close + 5 * 60_000,
      latestExpirationTime: close + 7 * 24 * H,
    });
  });

  it('finds the next close strictly after a time', () => {
    const close = Date.parse('2025-08-03T20:00:00Z');
    expect(nextCloseTime(close - 1)).toBe(close);
    expect(nextCloseTime(close)).toBe(close + H);
    expect(nextCloseTime(close - H)).toBe(close);
  });

  it('reads New York wall time without the host time zone', () => {
    expect(newYorkWallTime(Date.parse('2025-08-03T19:59:30Z'))).toEqual({
      year: 2025,
      month: 8,
      day: 3,
      hour: 15,
      minute: 59,
      second: 30,
    });
  });
});
