/**
 * The words of an hourly crypto event and its markets, as Kalshi writes them (2025 data):
 * titles, subtitles and rules, so the simulator fills every text field of Market / EventData.
 */
import { newYorkWallTime } from '../../domain/kalshi/tickers.ts';
import { floorStrikeText } from '../../domain/kalshi/tickers.ts';
import type { EpochMs, StrikeDollars, SymbolId } from '../../domain/units.ts';

const ASSET: Record<SymbolId, { name: string; index: string }> = {
  BTC: { name: 'Bitcoin', index: "CF Benchmarks' Bitcoin Real-Time Index (BRTI)" },
  ETH: { name: 'Ethereum', index: "CF Benchmarks' Ether Real-Time Index (ETHUSD_RTI)" },
};

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface CloseWording {
  /** "Aug 3, 2025" */
  date: string;
  /** "4pm EDT" */
  hourLower: string;
  /** "4 PM EDT" */
  hourUpper: string;
}

export function closeWording(closeTimeMs: EpochMs): CloseWording {
  const ny = newYorkWallTime(closeTimeMs);
  const wallAsUtc = Date.UTC(ny.year, ny.month - 1, ny.day, ny.hour, ny.minute, ny.second);
  const zone = (wallAsUtc - closeTimeMs) / 3_600_000 === -4 ? 'EDT' : 'EST';
  const h12 = ny.hour % 12 === 0 ? 12 : ny.hour % 12;
  const ampm = ny.hour < 12 ? 'am' : 'pm';
  return {
    date: `${MONTH_NAMES[ny.month - 1]} ${ny.day}, ${ny.year}`,
    hourLower: `${h12}${ampm} ${zone}`,
    hourUpper: `${h12} ${ampm.toUpperCase()} ${zone}`,
  };
}

export interface EventWording {
  title: string;
  subTitle: string;
}

export function eventWording(symbol: SymbolId, closeTimeMs: EpochMs): EventWording {
  const w = closeWording(closeTimeMs);
  return {
    title: `${ASSET[symbol].name} price on ${w.date} at ${w.hourLower}?`,
    subTitle: `On ${w.date} at ${w.hourLower}`,
  };
}

export interface MarketWording {
  subtitle: string;
  yesSubTitle: string;
  noSubTitle: string;
  rulesPrimary: string;
  rulesSecondary: string;
}

export function marketWording(symbol: SymbolId, strike: StrikeDollars, closeTimeMs: EpochMs): MarketWording {
  const w = closeWording(closeTimeMs);
  const label = `$${strike.toLocaleString('en-US')} or above`;
  return {
    subtitle: label,
    yesSubTitle: label,
    noSubTitle: label,
    rulesPrimary: `If the simple average of the sixty seconds of ${ASSET[symbol].index} before ${w.hourUpper} is above ${floorStrikeText(strike)} at ${w.hourUpper} on ${w.date}, then the market resolves to Yes.`,
    rulesSecondary:
      "Not all cryptocurrency price data is the same. While checking a source like Google or Coinbase may help guide your decision, the price used to determine this market is based on CF Benchmarks' corresponding Real Time Index (RTI). At the last minute before expiration, 60 RTI prices are collected. The official and final value is the average of these prices.",
  };
}
