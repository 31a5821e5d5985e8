import { describe, it, expect } from 'vitest';
import {
  FixedPointError,
  countFpOrLegacy,
  dollarsOrLegacyCents,
  formatCount,
  formatDollars,
  legacyCentsToCentiCents,
  legacyCount,
  parseCountFp,
  parseDollars,
  parseDollarsRoundedHalfUp,
  parseScaledDecimal,
} from './fixed-point.ts';

describe('parseDollars (exact)', () => {
  it.each([
    ['0.5600', 5_600],
    ['0.56', 5_600],
    ['0.560000', 5_600],
    ['0.0001', 1],
    ['0.000100', 1],
    ['1', 10_000],
    ['1.0000', 10_000],
    ['0', 0],
    ['0.0000', 0],
    ['-0.0000', 0],
    ['12.34', 123_400],
    ['0.29', 2_900], // 0.29 * 10000 in floats is 2899.9999999999995
    ['0.57', 5_700], // and this one is 5699.999999999999
    ['-0.5000', -5_000],
    ['+0.0150', 150],
    ['00.5', 5_000],
    ['123456789.1234', 1_234_567_891_234],
  ])('%s → %i centi-cents', (text, expected) => {
    expect(parseDollars(text)).toBe(expected);
  });

  it('returns +0, never -0', () => {
    expect(Object.is(parseDollars('-0.00'), 0)).toBe(true);
  });

  it.each(['0.56001', '0.000050', '0.123456', '-0.00001'])(
    'rejects %s (not representable in centi-cents)',
    (text) => {
      expect(() => parseDollars(text)).toThrow(/not representable/);
    },
  );

  it.each([
    '',
    ' 0.56',
    '0.56 ',
    '.56',
    '0.',
    '1e-2',
    '0x10',
    '0,56',
    '$0.56',
    '--1',
    '+-1',
    'NaN',
    'Infinity',
    '0.5.6',
    '٠.٥',
    '1_000',
  ])('rejects malformed %j', (text) => {
    expect(() => parseDollars(text)).toThrow(/malformed/);
  });

  it('rejects more than 6 decimals even if zeros', () => {
    expect(() => parseDollars('0.5600000')).toThrow(/7 decimals, at most 6/);
  });

  it.each([[0.56], [56], [null], [undefined], [{}], [[]], [true]])('rejects the non-string %j', (value) => {
    expect(() => parseDollars(value)).toThrow(/expected a decimal string/);
  });

  it('rejects a bigint', () => {
    expect(() => parseDollars(5n)).toThrow(/expected a decimal string, got 5/);
  });

  it('rejects values beyond the safe integer range', () => {
    expect(() => parseDollars('999999999999999')).toThrow(/safe integer/);
    expect(parseDollars('900719925474.0991')).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('names the field and keeps the input in the error', () => {
    try {
      parseDollars('abc', 'yes_bid_dollars');
      expect.fail('should throw');
    } catch (error) {
      expect(error).toBeInstanceOf(FixedPointError);
      const fixed = error as FixedPointError;
      expect(fixed.field).toBe('yes_bid_dollars');
      expect(fixed.input).toBe('abc');
      expect(fixed.message).toMatch(/^yes_bid_dollars: malformed decimal "abc"$/);
    }
  });
});

describe('parseDollarsRoundedHalfUp (averages only)', () => {
  it.each([
    ['0.563333', 5_633],
    ['0.563349', 5_633],
    ['0.563350', 5_634],
    ['0.56335', 5_634],
    ['0.563399', 5_634],
    ['0.999950', 10_000],
    ['0.00005', 1],
    ['0.000049', 0],
    ['-0.00005', -1],
    ['-0.563349', -5_633],
    ['0.5600', 5_600],
  ])('%s → %i', (text, expected) => {
    expect(parseDollarsRoundedHalfUp(text)).toBe(expected);
  });

  it('still rejects malformed input', () => {
    expect(() => parseDollarsRoundedHalfUp('0.5x')).toThrow(FixedPointError);
    expect(() => parseDollarsRoundedHalfUp('0.1234567')).toThrow(/decimals/);
  });
});

describe('parseCountFp', () => {
  it.each([
    ['10.00', 10],
    ['10', 10],
    ['10.0', 10],
    ['0.00', 0],
    ['-54.00', -54],
    ['+3.00', 3],
    ['1000000.00', 1_000_000],
  ])('%s → %i contracts', (text, expected) => {
    expect(parseCountFp(text)).toBe(expected);
  });

  it.each(['2.50', '0.01', '-0.50', '10.000001'])(
    'rejects the fractional count %s with a clear error',
    (text) => {
      expect(() => parseCountFp(text, 'count_fp')).toThrow(
        /^count_fp: fractional contract count .* whole contracts only$/,
      );
    },
  );

  it.each(['', 'ten', '10.', '.5', '1e3', '10.00 ', '10.0000000'])('rejects malformed %j', (text) => {
    expect(() => parseCountFp(text)).toThrow(FixedPointError);
  });

  it('rejects non-strings', () => {
    expect(() => parseCountFp(10)).toThrow(/expected a decimal string, got 10/);
  });
});

describe('legacy integers', () => {
  it('converts integer cents to centi-cents', () => {
    expect(legacyCentsToCentiCents(56)).toBe(5_600);
    expect(legacyCentsToCentiCents(0)).toBe(0);
    expect(legacyCentsToCentiCents(-37)).toBe(-3_700);
  });

  it.each([[0.5], [NaN], [Infinity], ['56'], [null], [2 ** 53]])('rejects %j as cents', (value) => {
    expect(() => legacyCentsToCentiCents(value, 'yes_bid')).toThrow(/^yes_bid: expected integer cents/);
  });

  it('validates legacy counts', () => {
    expect(legacyCount(278)).toBe(278);
    expect(() => legacyCount(2.5, 'count')).toThrow(/^count: expected integer contract count, got 2.5$/);
  });
});

describe('current field first, legacy fallback', () => {
  it('prefers the _dollars string over the legacy integer', () => {
    expect(dollarsOrLegacyCents('0.5700', 56, 'yes_bid')).toBe(5_700);
  });

  it('falls back to legacy cents, treating null as absent', () => {
    expect(dollarsOrLegacyCents(undefined, 56)).toBe(5_600);
    expect(dollarsOrLegacyCents(null, 56)).toBe(5_600);
    expect(dollarsOrLegacyCents(undefined, undefined)).toBeUndefined();
  });

  it('names the _dollars field when the string is bad', () => {
    expect(() => dollarsOrLegacyCents('x', 56, 'yes_bid')).toThrow(/^yes_bid_dollars: malformed/);
  });

  it('prefers _fp counts over legacy counts', () => {
    expect(countFpOrLegacy('12.00', 11, 'volume')).toBe(12);
    expect(countFpOrLegacy(undefined, 11, 'volume')).toBe(11);
    expect(countFpOrLegacy(null, null, 'volume')).toBeUndefined();
    expect(() => countFpOrLegacy('1.50', 1, 'volume')).toThrow(/^volume_fp: fractional/);
  });
});

describe('formatDollars', () => {
  it.each([
    [5_600, undefined, '0.5600'],
    [5_600, 2, '0.56'],
    [5_600, 6, '0.560000'],
    [1, 4, '0.0001'],
    [10_000, 4, '1.0000'],
    [10_000, 0, '1'],
    [123_400, 2, '12.34'],
    [0, 4, '0.0000'],
    [-5_000, 4, '-0.5000'],
    [-1, 4, '-0.0001'],
  ])('%i at %s decimals → %s', (value, decimals, expected) => {
    expect(formatDollars(value, decimals)).toBe(expected);
  });

  it('refuses to round away precision', () => {
    expect(() => formatDollars(5_650, 2)).toThrow(/without rounding/);
    expect(() => formatDollars(1, 0)).toThrow(/without rounding/);
  });

  it('rejects non-integers and bad decimals', () => {
    expect(() => formatDollars(0.5)).toThrow(/integer centi-cents/);
    expect(() => formatDollars(5_600, 7)).toThrow(/decimals/);
    expect(() => formatDollars(5_600, 1.5)).toThrow(/decimals/);
  });

  it('round-trips every cent price and a sweep of centi-cent values', () => {
    for (let cc = -20_000; cc <= 20_000; cc += 7) {
      expect(parseDollars(formatDollars(cc))).toBe(cc);
      expect(parseDollars(formatDollars(cc, 6))).toBe(cc);
    }
    for (let cents = 1; cents < 100; cents++) {
      expect(formatDollars(cents * 100, 2)).toBe(`0.${String(cents).padStart(2, '0')}`);
    }
  });
});

describe('formatCount', () => {
  it('writes 2 decimals', () => {
    expect(formatCount(10)).toBe('10.00');
    expect(formatCount(0)).toBe('0.00');
    expect(formatCount(-3)).toBe('-3.00');
    expect(parseCountFp(formatCount(123))).toBe(123);
  });

  it('rejects fractions', () => {
    expect(() => formatCount(2.5)).toThrow(/integer contract count/);
  });
});

describe('parseScaledDecimal', () => {
  it('scales to any number of decimals (e.g. cents at 2)', () => {
    expect(parseScaledDecimal('99728.83', 2)).toBe(9_972_883);
    expect(parseScaledDecimal('99728.835', 2, { rounding: 'half-up' })).toBe(9_972_884);
    expect(() => parseScaledDecimal('99728.835', 2)).toThrow(/not representable/);
    expect(parseScaledDecimal('1.5', 0, { rounding: 'half-up' })).toBe(2);
  });

  it('honours maxDecimals', () => {
    expect(parseScaledDecimal('0.1234567891', 10, { maxDecimals: 10 })).toBe(1_234_567_891);
    expect(() => parseScaledDecimal('0.12', 2, { maxDecimals: 1 })).toThrow(/at most 1/);
  });
});
