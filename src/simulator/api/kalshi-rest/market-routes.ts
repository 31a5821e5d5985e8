/**
 * Public market data: exchange status, series, events, markets, order books, trades.
 * No authentication (as at Kalshi). Every read first catches the simulation up to the clock.
 */
import type { FastifyInstance } from 'fastify';
import { formatCount, formatDollars } from '../../../domain/kalshi/fixed-point.ts';
import type { MarketView } from '../../engine/types.ts';
import type { SimEvent } from '../../market/simulation.ts';
import type { SimulatorRuntime } from '../../runtime/runtime.ts';
import { notFound } from './errors.ts';
import { paginate, sortKey } from './pagination.ts';
import {
  eventQuery,
  eventsQuery,
  marketsQuery,
  orderbookQuery,
  parseRequest,
  tradesQuery,
} from './requests.ts';
import { LIST_STATUS, toEvent, toMarket, toSeries, toTrade, type ListStatus } from './wire.ts';

const SERIES = ['KXBTCD', 'KXETHD'];

export function registerMarketRoutes(
  app: FastifyInstance,
  runtime: SimulatorRuntime,
  options: { tradingActive: () => boolean },
): void {
  const engine = () => runtime.engine;
  const marketKey = (m: MarketView) => sortKey(m.closeTime, m.strike, m.ticker);
  const eventKey = (e: SimEvent) => sortKey(e.closeTime, e.eventTicker);
  const marketsOf = (event: SimEvent) =>
    event.marketTickers.map((t) => engine().getMarket(t)).filter((m): m is MarketView => m !== undefined);
  /** An event's list status is its markets' (they share one schedule). */
  const eventStatus = (event: SimEvent): ListStatus | undefined => {
    const first = event.marketTickers[0];
    const market = first === undefined ? undefined : engine().getMarket(first);
    return market ? LIST_STATUS[market.status] : undefined;
  };
  const liveSeries = () => new Set(runtime.simulation.listEvents().map((e) => e.seriesTicker));

  app.get('/exchange/status', async () => {
    runtime.sync();
    return { exchange_active: true, trading_active: options.tradingActive() };
  });

  app.get('/series', async () => {
    const active = liveSeries();
    return { series: SERIES.filter((s) => active.has(s)).map((s) => toSeries(s)) };
  });

  app.get<{ Params: { series_ticker: string } }>('/series/:series_ticker', async (request) => {
    const ticker = request.params.series_ticker;
    const series = liveSeries().has(ticker) ? toSeries(ticker) : undefined;
    if (!series) throw notFound(`series ${ticker} not found`);
    return { series };
  });

  app.get('/events', async (request) => {
    const q = parseRequest(eventsQuery, request.query, 'query');
    runtime.sync();
    const wanted = q.event_tickers ?? q.tickers;
    const events = runtime.simulation
      .listEvents()
      .filter((e) => q.series_ticker === undefined || e.seriesTicker === q.series_ticker)
      .filter((e) => wanted === undefined || wanted.includes(e.eventTicker))
      .filter((e) => q.min_close_ts === undefined || e.closeTime >= q.min_close_ts)
      .filter((e) => {
        if (q.status === undefined) return true;
        const status = eventStatus(e);
        return status !== undefined && q.status.includes(status);
      })
      .sort((a, b) => (eventKey(a) < eventKey(b) ? -1 : 1));
    const page = paginate(events, eventKey, { cursor: q.cursor, limit: q.limit });
    return {
      events: page.items.map((e) =>
        toEvent(e, q.with_nested_markets ? marketsOf(e).map(toMarket) : undefined),
      ),
      milestones: [],
      cursor: page.cursor,
    };
  });

  app.get<{ Params: { event_ticker: string } }>('/events/:event_ticker', async (request) => {
    const q = parseRequest(eventQuery, request.query, 'query');
    runtime.sync();
    const event = runtime.simulation.getEvent(request.params.event_ticker);
    if (!event) throw notFound(`event ${request.params.event_ticker} not found`);
    const markets = marketsOf(event).map(toMarket);
    return { event: toEvent(event, q.with_nested_markets ? markets : undefined), markets };
  });

  app.get('/markets', async (request) => {
    const q = parseRequest(marketsQuery, request.query, 'query');
    runtime.sync();
    const markets = engine()
      .listMarkets(q.event_ticker === undefined ? {} : { eventTicker: q.event_ticker })
      .filter((m) => q.series_ticker === undefined || m.seriesTicker === q.series_ticker)
      .filter((m) => q.tickers === undefined || q.tickers.includes(m.ticker))
      .filter((m) => q.status === undefined || q.status.includes(LIST_STATUS[m.status]))
      .filter((m) => q.min_close_ts === undefined || m.closeTime >= q.min_close_ts)
      .filter((m) => q.max_close_ts === undefined || m.closeTime <= q.max_close_ts)
      .sort((a, b) => (marketKey(a) < marketKey(b) ? -1 : 1));
    const page = paginate(markets, marketKey, { cursor: q.cursor, limit: q.limit });
    return { markets: page.items.map(toMarket), cursor: page.cursor };
  });

  app.get('/markets/trades', async (request) => {
    const q = parseRequest(tradesQuery, request.query, 'query');
    runtime.sync();
    const tickers =
      q.ticker !== undefined
        ? [q.ticker]
        : engine()
            .listMarkets()
            .map((m) => m.ticker);
    const trades = tickers
      .flatMap((t) => engine().listTrades(t))
      .filter((t) => q.min_ts === undefined || t.createdTime >= q.min_ts)
      .filter((t) => q.max_ts === undefined || t.createdTime <= q.max_ts)
      .sort((a, b) => (a.tradeId < b.tradeId ? 1 : -1));
    const page = paginate(trades, (t) => t.tradeId, { cursor: q.cursor, limit: q.limit, descending: true });
    return { trades: page.items.map(toTrade), cursor: page.cursor };
  });

  app.get<{ Params: { ticker: string } }>('/markets/:ticker', async (request) => {
    runtime.sync();
    const market = engine().getMarket(request.params.ticker);
    if (!market) throw notFound(`market ${request.params.ticker} not found`);
    return { market: toMarket(market) };
  });

  app.get<{ Params: { ticker: string } }>('/markets/:ticker/orderbook', async (request) => {
    const q = parseRequest(orderbookQuery, request.query, 'query');
    runtime.sync();
    const book = engine().getOrderbook(request.params.ticker, q.depth > 0 ? q.depth : Infinity);
    if (!book) throw notFound(`market ${request.params.ticker} not found`);
    const levels = (side: [number, number][]) =>
      side.map(([price, count]) => [formatDollars(price, 4), formatCount(count)]);
    return { orderbook_fp: { yes_dollars: levels(book.yes), no_dollars: levels(book.no) } };
  });
}
