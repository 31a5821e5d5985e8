/**
 * Is the model any good? (model.md, "Quality".) The market mid is the baseline to beat: both
 * forecasters are scored on the same observations — those where the market had a mid — so
 * neither is flattered by rows the other could not forecast.
 *
 * An observation is one strike of one settled hour at one fixed offset before the close (the
 * coordinator stores them). Rows of the same hour are strongly correlated, so the verdict also
 * needs a minimum number of settled events, not only of rows.
 */
import { brierScore, calibrationBuckets, logLoss, type CalibrationBucket, type Forecast } from './scores.ts';

export interface CalibrationObservation {
  /** The event's close, epoch ms: observations with the same close are one event. */
  closeTimeMs: number;
  /** Minutes before the close the snapshot stands for (15, 10, 5, 2, 1 by default). */
  offsetMinutes: number;
  /** The model's P(YES), percent. */
  modelPercent: number;
  /** The market's YES mid, percent (= cents); null when a side had no quote. */
  marketPercent: number | null;
  /** Did YES win? */
  outcome: boolean;
}

export interface ForecasterScore {
  brier: number;
  logLoss: number;
  buckets: CalibrationBucket[];
}

export type CalibrationVerdict = 'model_better' | 'market_better' | 'tie' | 'insufficient_data';

export interface OffsetScore {
  offsetMinutes: number;
  observations: number;
  modelBrier: number;
  marketBrier: number;
  modelLogLoss: number;
  marketLogLoss: number;
}

export interface CalibrationReport {
  /** Observations scored (those with a market mid). */
  observations: number;
  /** Observations left out because the market had no mid then. */
  withoutMid: number;
  /** Distinct settled hours among the scored observations. */
  events: number;
  model: ForecasterScore | null;
  market: ForecasterScore | null;
  /** 1 − Brier(model) / Brier(market): above 0 the model beats the mid; null without data. */
  brierSkill: number | null;
  verdict: CalibrationVerdict;
  /** One sentence for the screen, honest either way. */
  summary: string;
  /** Per offset before close, ascending. */
  byOffset: OffsetScore[];
}

export interface CalibrationOptions {
  /** Fewest scored observations for a verdict (default 100). */
  minObservations?: number;
  /** Fewest settled hours for a verdict (default 5). */
  minEvents?: number;
  /** Calibration buckets (default 10). */
  bucketCount?: number;
}

/** The YES mid in percent from the YES bid and ask in centi-cents; null unless both are quoted. */
export function yesMidPercent(yesBid: number | null, yesAsk: number | null): number | null {
  if (yesBid === null || yesAsk === null) return null;
  // centi-cents → cents, and a price in cents is a probability in percent.
  return (yesBid + yesAsk) / 2 / 100;
}

const TIE = 1e-12;

function score(forecasts: Forecast[], bucketCount: number): ForecasterScore {
  return {
    brier: brierScore(forecasts),
    logLoss: logLoss(forecasts),
    buckets: calibrationBuckets(forecasts, bucketCount),
  };
}

function fmt(x: number): string {
  return x.toFixed(4);
}

export function scoreModelVsMarket(
  observations: readonly CalibrationObservation[],
  options: CalibrationOptions = {},
): CalibrationReport {
  const minObservations = options.minObservations ?? 100;
  const minEvents = options.minEvents ?? 5;
  const bucketCount = options.bucketCount ?? 10;

  const paired = observations.filter(
    (o): o is CalibrationObservation & { marketPercent: number } => o.marketPercent !== null,
  );
  const withoutMid = observations.length - paired.length;
  const events = new Set(paired.map((o) => o.closeTimeMs)).size;

  const offsets = [...new Set(paired.map((o) => o.offsetMinutes))].sort((a, b) => a - b);
  const byOffset = offsets.map((offsetMinutes): OffsetScore => {
    const rows = paired.filter((o) => o.offsetMinutes === offsetMinutes);
    const model = rows.map((o) => ({ percent: o.modelPercent, outcome: o.outcome }));
    const market = rows.map((o) => ({ percent: o.marketPercent, outcome: o.outcome }));
    return {
      offsetMinutes,
      observations: rows.length,
      modelBrier: brierScore(model),
      marketBrier: brierScore(market),
      modelLogLoss: logLoss(model),
      marketLogLoss: logLoss(market),
    };
  });

  if (paired.length === 0) {
    return {
      observations: 0,
      withoutMid,
      events: 0,
      model: null,
      market: null,
      brierSkill: null,
      verdict: 'insufficient_data',
      summary: 'No settled observations with a market mid yet: nothing to score.',
      byOffset,
    };
  }

  const model = score(
    paired.map((o) => ({ percent: o.modelPercent, outcome: o.outcome })),
    bucketCount,
  );
  const market = score(
    paired.map((o) => ({ percent: o.marketPercent, outcome: o.outcome })),
    bucketCount,
  );
  const brierSkill = market.brier > 0 ? 1 - model.brier / market.brier : null;
  const figures = `Brier ${fmt(model.brier)} vs ${fmt(market.brier)}, log-loss ${fmt(model.logLoss)} vs ${fmt(market.logLoss)} on ${paired.length} observations from ${events} settled hours`;

  let verdict: CalibrationVerdict;
  let summary: string;
  if (paired.length < minObservations || events < minEvents) {
    verdict = 'insufficient_data';
    summary = `Too little data to judge (need ${minObservations} observations from ${minEvents} hours): ${figures}.`;
  } else if (Math.abs(model.brier - market.brier) <= TIE) {
    verdict = 'tie';
    summary = `The model ties the market mid: ${figures}.`;
  } else if (model.brier < market.brier) {
    verdict = 'model_better';
    summary = `The model beats the market mid: ${figures}.`;
  } else {
    verdict = 'market_better';
    summary = `The model does NOT beat the market mid: ${figures}.`;
  }
  return {
    observations: paired.length,
    withoutMid,
    events,
    model,
    market,
    brierSkill,
    verdict,
    summary,
    byOffset,
  };
}
