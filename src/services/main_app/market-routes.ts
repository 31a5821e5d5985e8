/**
 * Public market-data reads: the latest `price.<sym>`, `market.<sym>` and `index.<sym>` as
 * they went over the bus (main_app keeps the newest of each; nothing is read from the database).
 *
 *   GET /api/price/:sym    spot price of the last second and momentum   (symbol_price_watchdog_<sym>)
 *   GET /api/market/:sym   the current event's strikes                  (kalshi_api_watchdog)
 *   GET /api/index/:sym    settlement reference and 60-s average        (btc_price_watchdog)
 *
 * `:sym` is `btc` or `eth` (any case): a whitelist (parseSymbol); anything else is 404. 503
 * while no value has arrived yet (the producer is starting or down).
 */
import type { IndexMessage, MarketMessage, PriceMessage } from '../../core/bus/market-data-topics.ts';
import { notFound, serviceUnavailable } from '../../core/http/problem.ts';
import type { ServiceContext } from '../../core/service/service.ts';
import { parseSymbol, SYMBOLS, type SymbolId } from '../../domain/units.ts';

type Family = 'price' | 'market' | 'index';

interface Latest {
  price: Map<SymbolId, PriceMessage>;
  market: Map<SymbolId, MarketMessage>;
  index: Map<SymbolId, IndexMessage>;
}

const PRODUCER: Record<Family, string> = {
  price: 'symbol_price_watchdog',
  market: 'kalshi_api_watchdog',
  index: 'btc_price_watchdog',
};

export async function registerMarketRoutes(ctx: ServiceContext): Promise<void> {
  const latest: Latest = { price: new Map(), market: new Map(), index: new Map() };

  const keep = (family: Family) => async (topic: string, payload: unknown) => {
    const symbol = parseSymbol(topic.slice(family.length + 1));
    if (symbol) (latest[family] as Map<SymbolId, unknown>).set(symbol, payload);
  };
  await ctx.subscribe('price.*', keep('price'));
  await ctx.subscribe('market.*', keep('market'));
  await ctx.subscribe('index.*', keep('index'));

  for (const family of ['price', 'market', 'index'] as const) {
    ctx.http.get<{ Params: { sym: string } }>(`/api/${family}/:sym`, async (request) => {
      const symbol = parseSymbol(request.params.sym);
      if (!symbol) {
        throw notFound(
          `unknown symbol ${JSON.stringify(request.params.sym.slice(0, 16))} (known: ${SYMBOLS.map((s) => s.toLowerCase()).join(', ')})`,
        );
      }
      const value = latest[family].get(symbol);
      if (!value)
        throw serviceUnavailable(
          `no ${family}.${symbol.toLowerCase()} yet (${PRODUCER[family]} starting or down)`,
        );
      return value;
    });
  }
}
