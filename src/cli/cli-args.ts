/** Argument parsers for commander: a bad value stops the command with commander's one-line error. */
import { InvalidArgumentError } from 'commander';
import { parseSymbol, type SymbolId } from '../domain/units.ts';

export function symbolArg(text: string): SymbolId {
  const symbol = parseSymbol(text);
  if (!symbol) throw new InvalidArgumentError('expected BTC or ETH.');
  return symbol;
}

export function positiveNumberArg(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError('expected a number > 0.');
  }
  return value;
}

export function nonNegativeNumberArg(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) {
    throw new InvalidArgumentError('expected a number ≥ 0.');
  }
  return value;
}

export function integerArg(text: string): number {
  if (!/^-?\d+$/.test(text.trim())) throw new InvalidArgumentError('expected an integer.');
  return Number(text);
}

/** `2025-07-20` (UTC midnight) or an ISO-8601 time with Z or an offset → epoch ms. */
export function timeArg(text: string): number {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const full = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(text);
  const ms = dateOnly || full ? Date.parse(text) : NaN;
  if (!Number.isFinite(ms)) {
    throw new InvalidArgumentError('expected a date (2025-07-20) or an ISO time with Z or an offset.');
  }
  return ms;
}
