/**
 * main_app's model API (issue 5):
 *
 * - `GET /api/strike-table/:sym` — the newest `strikes.<sym>` table: header fields and 21 rows
 *   with every column of model.md, plus the model's source and synthetic flag and the age.
 * - `GET /api/watchlist/:sym` — that table's watchlist (strikes auto entry watches).
 * - `GET /api/model` — the active model per symbol: id, source, synthetic or real, date range,
 *   rows used, built when — and the model the coordinator's newest table actually used.
 * - `GET /api/model/calibration[/:sym]?days=30` — model vs market mid on the settled hours
 *   (Brier, log-loss, calibration buckets, per offset before close), with a plain verdict.
 *
 * Unknown symbol: 404 problem. No table yet (the coordinator is still building the model or
 * waiting for market data): 503 problem. Tables come from the bus, so main_app serves them in
 * either topology without calling the coordinator.
 */
import { z } from 'zod';
import type { StrikesMessage } from '../../core/bus/strikes-topics.ts';
import { badRequest, notFound, serviceUnavailable } from '../../core/http/problem.ts';
import type { ServiceContext } from '../../core/service/service.ts';
import { scoreModelVsMarket } from '../../domain/calibration/index.ts';
import { parseSymbol, SYMBOLS, type SymbolId } from '../../domain/units.ts';
import { activeModelSummary } from '../../storage/models/model-repository.ts';
import { readCalibrationObservations } from '../../storage/strike-snapshots/strike-snapshot-repository.ts';

const DAY_MS = 86_400_000;

export type ModelRoutesContext = Pick<ServiceContext, 'http' | 'subscribe' | 'database' | 'clock' | 'config'>;

function symbolParam(params: unknown): SymbolId {
  const text = (params as { sym?: string }).sym ?? '';
  const symbol = parseSymbol(text);
  if (!symbol) throw notFound(`unknown symbol "${text}" (known: ${SYMBOLS.join(', ').toLowerCase()})`);
  return symbol;
}

const calibrationQuery = z.object({
  /** Hours that closed in the last `days` days (default 30). */
  days: z.coerce.number().positive().max(3_650).default(30),
});

/** Registers the routes and the `strikes.*` subscription that feeds them. */
export async function registerModelRoutes(ctx: ModelRoutesContext): Promise<void> {
  const latest = new Map<SymbolId, StrikesMessage>();
  await ctx.subscribe('strikes.*', (_topic, payload) => {
    const message = payload as StrikesMessage;
    latest.set(message.symbol, message);
  });

  const newest = (symbol: SymbolId): StrikesMessage => {
    const message = latest.get(symbol);
    if (!message) {
      throw serviceUnavailable(
        `no strike table for ${symbol} yet: the coordinator publishes one once it has a model, a price and the event's markets`,
      );
    }
    return message;
  };

  ctx.http.get('/api/strike-table/:sym', async (request) => {
    const m = newest(symbolParam(request.params));
    return {
      ...m.table,
      close_time_ms: m.closeTimeMs,
      model_source: m.model.source,
      model_synthetic: m.model.synthetic,
      computed_at_ms: m.at,
      age_ms: Math.max(0, ctx.clock.now() - m.at),
      input_times_ms: { price: m.inputs.priceAtMs, market: m.inputs.marketAtMs, index: m.inputs.indexAtMs },
    };
  });

  ctx.http.get('/api/watchlist/:sym', async (request) => {
    const m = newest(symbolParam(request.params));
    return {
      symbol: m.symbol,
      seq: m.seq,
      event_ticker: m.table.event_ticker,
      ttc_seconds: m.table.ttc_seconds,
      price: m.table.price,
      model_id: m.model.id,
      model_synthetic: m.model.synthetic,
      computed_at_ms: m.at,
      age_ms: Math.max(0, ctx.clock.now() - m.at),
      rows: m.watchlist,
    };
  });

  ctx.http.get('/api/model', async () => ({
    models: await Promise.all(
      SYMBOLS.map(async (symbol) => {
        const active = await activeModelSummary(ctx.database.db, symbol);
        return {
          symbol,
          active: active ?? null,
          /** The model behind the newest strike table (differs briefly after an activation). */
          inUse: latest.get(symbol)?.model.id ?? null,
        };
      }),
    ),
  }));

  const calibration = async (symbols: readonly SymbolId[], query: unknown) => {
    const parsed = calibrationQuery.safeParse(query);
    if (!parsed.success) throw badRequest(`days: ${parsed.error.issues[0]!.message}`);
    const sinceMs = ctx.clock.now() - parsed.data.days * DAY_MS;
    const mode = ctx.config.mode;
    return {
      mode,
      sinceMs,
      symbols: await Promise.all(
        symbols.map(async (symbol) => ({
          symbol,
          ...scoreModelVsMarket(
            await readCalibrationObservations(ctx.database.db, { mode, symbol, sinceMs }),
          ),
        })),
      ),
    };
  };
  ctx.http.get('/api/model/calibration', async (request) => calibration(SYMBOLS, request.query));
  ctx.http.get('/api/model/calibration/:sym', async (request) =>
    calibration([symbolParam(request.params)], request.query),
  );
}
