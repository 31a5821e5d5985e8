/**
 * The exchange core: accounts, markets, V2 order entry, matching, fees, positions, lifecycle
 * and settlement — in memory, deterministic, no clock and no randomness of its own.
 *
 * Every command carries `nowMs`; the engine's time is the largest it has seen (it never goes
 * back), and each command first applies the scheduled transitions due by then (a market opens
 * at open_time, closes at close_time, good-till-time orders expire). Determination and
 * settlement are commands: the result comes from the index, which lives outside the engine.
 *
 * Matching: price-time priority on a bids-only book; an incoming order walks the opposite leg
 * level by level, trading at each maker's price. It is planned first without touching
 * anything (fill-or-kill, post-only and the balance check all look at the plan), then executed,
 * so a rejected order leaves no trace — except a killed fill-or-kill, which consumes its
 * client_order_id as Kalshi does.
 *
 * Collateral: a taker pays as it fills (cost + fee − $1 per netted pair) and the whole order is
 * checked before it runs. A resting order reserves its full cost plus a per-contract maker-fee
 * bound (a reduce-only order reserves the fee bound only: it can only net). So balance ≥
 * reserved ≥ 0 always holds.
 */
import { fillFee } from '../../domain/kalshi/fees.ts';
import type { CentiCents, Contracts, EpochMs } from '../../domain/units.ts';
import { OrderBook } from './book.ts';
import { isIdNamespace, makeId } from './ids.ts';
import { applyFill, closableBy, emptyPosition, ONE_DOLLAR_CC, settlePosition } from './positions.ts';
import type {
  AccountState,
  BalanceView,
  BookSide,
  CancelOrderCommand,
  CancelOrderValue,
  CancelReason,
  DecreaseOrderCommand,
  EngineConfig,
  EngineError,
  EngineErrorCode,
  EngineEvent,
  EngineSnapshot,
  FillRecord,
  LifecycleEventType,
  MarketSpec,
  MarketState,
  MarketView,
  OrderbookView,
  OrderRecord,
  OrderStatus,
  OutcomeSide,
  PlaceOrderCommand,
  PlaceOrderValue,
  PositionRecord,
  Result,
  SelfTradePrevention,
  SettlementRecord,
  TickerQuote,
  TradeRecord,
} from './types.ts';

const HTTP_STATUS: Record<EngineErrorCode, number> = {
  invalid_parameters: 400,
  invalid_price: 400,
  not_found: 404,
  market_closed: 409,
  order_already_exists: 409,
  fill_or_kill_insufficient_resting_volume: 409,
  insufficient_balance: 400,
  post_only_cross: 409,
  reduce_only_no_position: 400,
};

export const DEFAULT_ENGINE_CONFIG: EngineConfig = {
  idNamespace: '5e1a0000',
  recentTradesPerMarket: 1000,
};

const MAX_COUNT = 10_000_000;
const MAX_CLIENT_ORDER_ID_LENGTH = 128;

function fail(code: EngineErrorCode, message: string): EngineError {
  return { code, message, httpStatus: HTTP_STATUS[code] };
}

function isEngineError(value: unknown): value is EngineError {
  return (
    typeof value === 'object' &&
    value !== null &&
    'code' in value &&
    'httpStatus' in value &&
    'message' in value
  );
}

function key(a: string, b: string): string {
  return `${a}\u0000${b}`;
}

function legOf(side: BookSide): OutcomeSide {
  return side === 'bid' ? 'yes' : 'no';
}

/** The price this order pays per contract: YES price for a bid, NO price for an ask. */
function ownPrice(side: BookSide, yesPriceCc: CentiCents): CentiCents {
  return side === 'bid' ? yesPriceCc : ONE_DOLLAR_CC - yesPriceCc;
}

type PlanStep =
  | { kind: 'fill'; makerOrderId: string; count: Contracts; yesPriceCc: CentiCents }
  | { kind: 'cancel_maker'; makerOrderId: string; reason: CancelReason; count: Contracts };

interface MatchPlan {
  steps: PlanStep[];
  filled: Contracts;
  crosses: boolean;
  selfTradeStop: boolean;
  /** Taker cash needed for the fills: cost + fees − $1 per contract netted. */
  takerCashCc: CentiCents;
  /** Reservations released by canceling the taker's own resting orders (STP maker). */
  releasedCc: CentiCents;
}

export class ExchangeEngine {
  private readonly config: EngineConfig;
  private nowMs: EpochMs;
  private counters = { order: 0, trade: 0, priority: 0 };
  private readonly accounts = new Map<string, AccountState>();
  private readonly markets = new Map<string, MarketState>();
  /** Markets not yet settled, in creation order: the ones time can still change. */
  private readonly liveTickers = new Set<string>();
  private readonly books = new Map<string, OrderBook>();
  private readonly orders = new Map<string, OrderRecord>();
  /** account\0ticker → resting order ids. */
  private readonly resting = new Map<string, Set<string>>();
  /** account\0ticker → resting reduce-only order ids (usually none: skip the cap check). */
  private readonly restingReduceOnly = new Map<string, Set<string>>();
  /** Resting orders with an expiration time. */
  private readonly expiring = new Set<string>();
  /** Earliest time a scheduled transition can be due: the scan is skipped before it. */
  private nextDueMs = -Infinity;
  private fills: FillRecord[] = [];
  private readonly trades = new Map<string, TradeRecord[]>();
  private readonly positions = new Map<string, PositionRecord>();
  private settlements: SettlementRecord[] = [];
  /** account\0client_order_id → order id ('' for a killed fill-or-kill). */
  private readonly clientOrderIds = new Map<string, string>();

  // Per-command outbox.
  private events: EngineEvent[] = [];
  private readonly touchedOrders = new Map<string, OrderRecord>();
  private readonly touchedPositions = new Map<string, PositionRecord>();
  private readonly touchedAccounts = new Set<string>();
  private readonly touchedMarkets = new Set<string>();

  constructor(config: Partial<EngineConfig> = {}, nowMs: EpochMs = 0) {
    this.config = { ...DEFAULT_ENGINE_CONFIG, ...config };
    if (!isIdNamespace(this.config.idNamespace)) {
      throw new Error(`idNamespace must be 8 lower-case hex digits, got ${this.config.idNamespace}`);
    }
    this.nowMs = nowMs;
  }

  // ── Accounts ────────────────────────────────────────────────────────────────────────────

  createAccount(input: {
    accountId: string;
    balanceCc: CentiCents;
    recordHistory?: boolean;
    nowMs: EpochMs;
  }): Result<BalanceView> {
    return this.run(input.nowMs, () => {
      if (!input.accountId) return fail('invalid_parameters', 'accountId is required');
      if (this.accounts.has(input.accountId)) {
        return fail('invalid_parameters', `account ${input.accountId} exists`);
      }
      if (!Number.isSafeInteger(input.balanceCc) || input.balanceCc < 0) {
        return fail('invalid_parameters', 'balance must be non-negative integer centi-cents');
      }
      const account: AccountState = {
        accountId: input.accountId,
        balanceCc: input.balanceCc,
        reservedCc: 0,
        recordHistory: input.recordHistory ?? true,
        updatedTime: this.nowMs,
      };
      this.accounts.set(account.accountId, account);
      this.touchedAccounts.add(account.accountId);
      return this.balanceView(account);
    });
  }

  /** Adds (or, negative, withdraws from the available part of) an account's cash. */
  adjustBalance(input: { accountId: string; amountCc: CentiCents; nowMs: EpochMs }): Result<BalanceView> {
    return this.run(input.nowMs, () => {
      const account = this.accounts.get(input.accountId);
      if (!account) return fail('not_found', `account ${input.accountId} not found`);
      if (!Number.isSafeInteger(input.amountCc)) {
        return fail('invalid_parameters', 'amount must be integer centi-cents');
      }
      if (account.balanceCc - account.reservedCc + input.amountCc < 0) {
        return fail('insufficient_balance', 'withdrawal exceeds the available balance');
      }
      account.balanceCc += input.amountCc;
      account.updatedTime = this.nowMs;
      this.touchedAccounts.add(account.accountId);
      return this.balanceView(account);
    });
  }

  // ── Markets and time ────────────────────────────────────────────────────────────────────

  createMarket(spec: MarketSpec, nowMs: EpochMs): Result<MarketState> {
    return this.run(nowMs, () => {
      if (this.markets.has(spec.ticker)) {
        return fail('invalid_parameters', `market ${spec.ticker} exists`);
      }
      if (!(spec.openTime < spec.closeTime)) {
        return fail('invalid_parameters', 'open time must be before close time');
      }
      const tickCc = spec.tickCc ?? 100;
      const book = new OrderBook(tickCc);
      const market: MarketState = {
        ticker: spec.ticker,
        eventTicker: spec.eventTicker,
        seriesTicker: spec.seriesTicker,
        strike: spec.strike,
        openTime: spec.openTime,
        closeTime: spec.closeTime,
        tickCc,
        takerFeeBps: spec.takerFeeBps ?? 700,
        makerFeeBps: spec.makerFeeBps ?? 0,
        status: 'initialized',
        result: '',
        expirationValue: '',
        createdTime: this.nowMs,
        determinedTime: null,
        settledTime: null,
        lastPriceCc: null,
        volume: 0,
        openInterest: 0,
        lastTicker: null,
      };
      this.markets.set(market.ticker, market);
      this.books.set(market.ticker, book);
      this.trades.set(market.ticker, []);
      this.liveTickers.add(market.ticker);
      this.lifecycle(market, 'created');
      this.applyScheduledTransitions(market);
      this.noteDue(market);
      return { ...market };
    });
  }

  /** Moves the engine's time forward, applying what is due; returns the events. */
  advanceTime(nowMs: EpochMs): EngineEvent[] {
    return this.run(nowMs, () => this.nowMs).events;
  }

  /** Records the result of a closed market (from the settlement index). */
  determineMarket(input: {
    ticker: string;
    result: 'yes' | 'no';
    expirationValue: string;
    nowMs: EpochMs;
  }): Result<MarketState> {
    return this.run(input.nowMs, () => {
      const market = this.markets.get(input.ticker);
      if (!market) return fail('not_found', `market ${input.ticker} not found`);
      if (market.status !== 'closed') {
        return fail('invalid_parameters', `market ${market.ticker} is ${market.status}, not closed`);
      }
      if (input.result !== 'yes' && input.result !== 'no') {
        return fail('invalid_parameters', 'result must be yes or no');
      }
      market.status = 'determined';
      market.result = input.result;
      market.expirationValue = input.expirationValue;
      market.determinedTime = this.nowMs;
      this.lifecycle(market, 'determined');
      return { ...market };
    });
  }

  /** Pays every net winning contract $1 and closes all positions of a determined market. */
  settleMarket(input: { ticker: string; nowMs: EpochMs }): Result<SettlementRecord[]> {
    return this.run(input.nowMs, () => {
      const market = this.markets.get(input.ticker);
      if (!market) return fail('not_found', `market ${input.ticker} not found`);
      if (market.status !== 'determined' || (market.result !== 'yes' && market.result !== 'no')) {
        return fail('invalid_parameters', `market ${market.ticker} is ${market.status}, not determined`);
      }
      const result = market.result;
      const records: SettlementRecord[] = [];
      const holders = [...this.positions.values()]
        .filter((p) => p.ticker === market.ticker && p.position !== 0)
        .sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0));
      for (const pos of holders) {
        const account = this.mustAccount(pos.accountId);
        const effect = settlePosition(pos, result, this.nowMs);
        account.balanceCc += effect.revenueCc;
        account.updatedTime = this.nowMs;
        market.openInterest += effect.openInterestDelta;
        const record: SettlementRecord = {
          accountId: pos.accountId,
          ticker: market.ticker,
          eventTicker: market.eventTicker,
          marketResult: result,
          yesCount: effect.yesCount,
          noCount: effect.noCount,
          yesTotalCostCc: effect.yesTotalCostCc,
          noTotalCostCc: effect.noTotalCostCc,
          revenueCc: effect.revenueCc,
          feeCostCc: pos.feesPaidCc,
          valueCc: result === 'yes' ? ONE_DOLLAR_CC : 0,
          settledTime: this.nowMs,
        };
        records.push(record);
        if (account.recordHistory) {
          this.settlements.push(record);
          this.events.push({ type: 'settlement', settlement: { ...record } });
        }
        this.touchedPositions.set(key(pos.accountId, pos.ticker), pos);
        this.touchedAccounts.add(pos.accountId);
      }
      if (market.openInterest !== 0) throw new Error(`open interest ${market.openInterest} after settlement`);
      market.status = 'settled';
      market.settledTime = this.nowMs;
      this.liveTickers.delete(market.ticker);
      this.lifecycle(market, 'settled');
      return records;
    });
  }

  // ── Orders ──────────────────────────────────────────────────────────────────────────────

  placeOrder(cmd: PlaceOrderCommand): Result<PlaceOrderValue> {
    return this.run(cmd.nowMs, () => this.place(cmd));
  }

  cancelOrder(cmd: CancelOrderCommand): Result<CancelOrderValue> {
    return this.run(cmd.nowMs, () => {
      const order = this.orders.get(cmd.orderId);
      if (!order || order.accountId !== cmd.accountId || order.status !== 'resting') {
        return fail('not_found', `no resting order ${cmd.orderId}`);
      }
      const reducedBy = order.remainingCount;
      this.reduceResting(order, reducedBy, 'user', order);
      return {
        orderId: order.orderId,
        clientOrderId: order.clientOrderId,
        reducedBy,
        order: { ...order },
        tsMs: this.nowMs,
      };
    });
  }

  decreaseOrder(
    cmd: DecreaseOrderCommand,
  ): Result<{ order: OrderRecord; reducedBy: Contracts; tsMs: EpochMs }> {
    return this.run(cmd.nowMs, () => {
      const order = this.orders.get(cmd.orderId);
      if (!order || order.accountId !== cmd.accountId || order.status !== 'resting') {
        return fail('not_found', `no resting order ${cmd.orderId}`);
      }
      const byGiven = cmd.reduceBy !== undefined;
      if (byGiven === (cmd.reduceTo !== undefined)) {
        return fail('invalid_parameters', 'give exactly one of reduce_by and reduce_to');
      }
      const amount = byGiven ? cmd.reduceBy : cmd.reduceTo;
      if (!Number.isSafeInteger(amount) || (amount as number) < 0) {
        return fail('invalid_parameters', 'reduce_by / reduce_to must be a non-negative integer');
      }
      const reducedBy = byGiven
        ? Math.min(amount as number, order.remainingCount)
        : Math.max(order.remainingCount - (amount as number), 0);
      if (reducedBy > 0) this.reduceResting(order, reducedBy, 'user', order);
      return { order: { ...order }, reducedBy, tsMs: this.nowMs };
    });
  }

  // ── Reads ───────────────────────────────────────────────────────────────────────────────

  get now(): EpochMs {
    return this.nowMs;
  }

  getBalance(accountId: string): BalanceView | undefined {
    const account = this.accounts.get(accountId);
    return account ? this.balanceView(account) : undefined;
  }

  listAccounts(): BalanceView[] {
    return [...this.accounts.values()].map((a) => this.balanceView(a));
  }

  getMarket(ticker: string): MarketView | undefined {
    const market = this.markets.get(ticker);
    return market ? this.marketView(market) : undefined;
  }

  listMarkets(filter: { eventTicker?: string; status?: MarketState['status'] } = {}): MarketView[] {
    const out: MarketView[] = [];
    for (const market of this.markets.values()) {
      if (filter.eventTicker !== undefined && market.eventTicker !== filter.eventTicker) continue;
      if (filter.status !== undefined && market.status !== filter.status) continue;
      out.push(this.marketView(market));
    }
    return out;
  }

  /** Best YES bid and ask (centi-cents, null when empty) and status, without copying the market. */
  topOfBook(
    ticker: string,
  ): { status: MarketState['status']; yesBidCc: CentiCents | null; yesAskCc: CentiCents | null } | undefined {
    const market = this.markets.get(ticker);
    const book = this.books.get(ticker);
    if (!market || !book) return undefined;
    const noBid = book.best('no');
    return {
      status: market.status,
      yesBidCc: book.best('yes'),
      yesAskCc: noBid === null ? null : ONE_DOLLAR_CC - noBid,
    };
  }

  getOrderbook(ticker: string, depth = Infinity): OrderbookView | undefined {
    const book = this.books.get(ticker);
    if (!book) return undefined;
    return { ticker, yes: book.levels('yes', depth), no: book.levels('no', depth) };
  }

  getOrder(accountId: string, orderId: string): OrderRecord | undefined {
    const order = this.orders.get(orderId);
    return order && order.accountId === accountId ? { ...order } : undefined;
  }

  findOrderByClientId(accountId: string, clientOrderId: string): OrderRecord | undefined {
    const orderId = this.clientOrderIds.get(key(accountId, clientOrderId));
    return orderId ? this.getOrder(accountId, orderId) : undefined;
  }

  /** Orders of an account, newest first. */
  listOrders(
    accountId: string,
    filter: {
      ticker?: string;
      eventTicker?: string;
      status?: OrderStatus;
      minTs?: EpochMs;
      maxTs?: EpochMs;
    } = {},
  ): OrderRecord[] {
    const out: OrderRecord[] = [];
    for (const order of this.orders.values()) {
      if (order.accountId !== accountId) continue;
      if (filter.ticker !== undefined && order.ticker !== filter.ticker) continue;
      if (
        filter.eventTicker !== undefined &&
        this.markets.get(order.ticker)?.eventTicker !== filter.eventTicker
      ) {
        continue;
      }
      if (filter.status !== undefined && order.status !== filter.status) continue;
      if (filter.minTs !== undefined && order.createdTime < filter.minTs) continue;
      if (filter.maxTs !== undefined && order.createdTime > filter.maxTs) continue;
      out.push({ ...order });
    }
    return out.reverse();
  }

  /** Resting order ids of an account in a market, in time priority. */
  restingOrderIds(accountId: string, ticker: string): string[] {
    return [...(this.resting.get(key(accountId, ticker)) ?? [])];
  }

  /** Fills of an account, newest first. */
  listFills(
    accountId: string,
    filter: { ticker?: string; orderId?: string; minTs?: EpochMs; maxTs?: EpochMs } = {},
  ): FillRecord[] {
    const out: FillRecord[] = [];
    for (let i = this.fills.length - 1; i >= 0; i--) {
      const fill = this.fills[i] as FillRecord;
      if (fill.accountId !== accountId) continue;
      if (filter.ticker !== undefined && fill.ticker !== filter.ticker) continue;
      if (filter.orderId !== undefined && fill.orderId !== filter.orderId) continue;
      if (filter.minTs !== undefined && fill.createdTime < filter.minTs) continue;
      if (filter.maxTs !== undefined && fill.createdTime > filter.maxTs) continue;
      out.push({ ...fill });
    }
    return out;
  }

  getPosition(accountId: string, ticker: string): PositionRecord | undefined {
    const pos = this.positions.get(key(accountId, ticker));
    return pos ? { ...pos } : undefined;
  }

  /** Positions of an account (every market it traded and that is not pruned). */
  listPositions(accountId: string, filter: { ticker?: string; eventTicker?: string } = {}): PositionRecord[] {
    const out: PositionRecord[] = [];
    for (const pos of this.positions.values()) {
      if (pos.accountId !== accountId) continue;
      if (filter.ticker !== undefined && pos.ticker !== filter.ticker) continue;
      if (filter.eventTicker !== undefined && pos.eventTicker !== filter.eventTicker) continue;
      out.push({ ...pos });
    }
    return out;
  }

  /** Settlements of an account, newest first. */
  listSettlements(
    accountId: string,
    filter: { ticker?: string; eventTicker?: string } = {},
  ): SettlementRecord[] {
    const out: SettlementRecord[] = [];
    for (let i = this.settlements.length - 1; i >= 0; i--) {
      const s = this.settlements[i] as SettlementRecord;
      if (s.accountId !== accountId) continue;
      if (filter.ticker !== undefined && s.ticker !== filter.ticker) continue;
      if (filter.eventTicker !== undefined && s.eventTicker !== filter.eventTicker) continue;
      out.push({ ...s });
    }
    return out;
  }

  /** Recent public trades of a market, newest first. */
  listTrades(ticker: string): TradeRecord[] {
    return [...(this.trades.get(ticker) ?? [])].reverse().map((t) => ({ ...t }));
  }

  // ── Snapshot ────────────────────────────────────────────────────────────────────────────

  /** A deep, JSON-able copy of the whole state. */
  snapshot(): EngineSnapshot {
    const copy = <T extends object>(value: T): T => structuredClone(value);
    return {
      version: 1,
      config: { ...this.config },
      nowMs: this.nowMs,
      counters: { ...this.counters },
      accounts: [...this.accounts.values()].map(copy),
      markets: [...this.markets.values()].map(copy),
      orders: [...this.orders.values()].map(copy),
      fills: this.fills.map(copy),
      trades: [...this.trades.values()].flat().map(copy),
      positions: [...this.positions.values()].map(copy),
      settlements: this.settlements.map(copy),
      clientOrderIds: [...this.clientOrderIds.entries()].map(([k, orderId]) => {
        const [accountId = '', clientOrderId = ''] = k.split('\u0000');
        return [accountId, clientOrderId, orderId];
      }),
    };
  }

  /** Rebuilds an engine from a snapshot (validate untrusted input with engineSnapshotSchema first). */
  static restore(snapshot: EngineSnapshot): ExchangeEngine {
    if (snapshot.version !== 1)
      throw new Error(`unknown engine snapshot version ${String(snapshot.version)}`);
    const engine = new ExchangeEngine(snapshot.config, snapshot.nowMs);
    engine.counters = { ...snapshot.counters };
    for (const a of snapshot.accounts) engine.accounts.set(a.accountId, structuredClone(a));
    for (const m of snapshot.markets) {
      engine.markets.set(m.ticker, structuredClone(m));
      engine.books.set(m.ticker, new OrderBook(m.tickCc));
      engine.trades.set(m.ticker, []);
      if (m.status !== 'settled') engine.liveTickers.add(m.ticker);
    }
    for (const o of snapshot.orders) engine.orders.set(o.orderId, structuredClone(o));
    const restingOrders = [...engine.orders.values()]
      .filter((o) => o.status === 'resting')
      .sort((a, b) => a.priority - b.priority);
    for (const order of restingOrders) {
      const book = engine.books.get(order.ticker);
      if (!book) throw new Error(`resting order ${order.orderId} on unknown market ${order.ticker}`);
      book.add(legOf(order.side), engine.legPrice(order), order.orderId, order.remainingCount);
      engine.indexResting(order);
    }
    engine.fills = snapshot.fills.map((f) => structuredClone(f));
    for (const t of snapshot.trades) engine.trades.get(t.ticker)?.push(structuredClone(t));
    for (const p of snapshot.positions) engine.positions.set(key(p.accountId, p.ticker), structuredClone(p));
    engine.settlements = snapshot.settlements.map((s) => structuredClone(s));
    for (const [accountId, clientOrderId, orderId] of snapshot.clientOrderIds) {
      engine.clientOrderIds.set(key(accountId, clientOrderId), orderId);
    }
    engine.checkInvariants();
    return engine;
  }

  /**
   * Drops what the service has persisted and no longer needs in memory: settled markets (with
   * their positions and trades) settled before `beforeMs`, and finished orders, fills and
   * settlements older than it. client_order_id uniqueness is kept only for retained orders.
   */
  pruneHistory(beforeMs: EpochMs): void {
    for (const [ticker, market] of this.markets) {
      if (market.status === 'settled' && (market.settledTime ?? 0) < beforeMs) {
        this.markets.delete(ticker);
        this.books.delete(ticker);
        this.trades.delete(ticker);
        for (const [k, pos] of this.positions) if (pos.ticker === ticker) this.positions.delete(k);
      }
    }
    for (const [orderId, order] of this.orders) {
      if (order.status !== 'resting' && order.lastUpdateTime < beforeMs) {
        this.orders.delete(orderId);
        if (order.clientOrderId) this.clientOrderIds.delete(key(order.accountId, order.clientOrderId));
      }
    }
    for (const [k, orderId] of this.clientOrderIds) if (orderId === '') this.clientOrderIds.delete(k);
    this.fills = this.fills.filter((f) => f.createdTime >= beforeMs);
    this.settlements = this.settlements.filter((s) => s.settledTime >= beforeMs);
  }

  /** Throws when an internal invariant is broken (used by tests and after restore). */
  checkInvariants(): void {
    const reserved = new Map<string, number>();
    for (const order of this.orders.values()) {
      if (order.status !== 'resting') continue;
      reserved.set(order.accountId, (reserved.get(order.accountId) ?? 0) + order.reservedCc);
    }
    for (const account of this.accounts.values()) {
      const expected = reserved.get(account.accountId) ?? 0;
      if (account.reservedCc !== expected) {
        throw new Error(`account ${account.accountId} reserves ${account.reservedCc}, orders ${expected}`);
      }
      if (account.reservedCc < 0 || account.balanceCc < account.reservedCc) {
        throw new Error(
          `account ${account.accountId} balance ${account.balanceCc} < reserved ${account.reservedCc}`,
        );
      }
    }
    const openInterest = new Map<string, number>();
    for (const pos of this.positions.values()) {
      openInterest.set(pos.ticker, (openInterest.get(pos.ticker) ?? 0) + Math.max(pos.position, 0));
    }
    for (const market of this.markets.values()) {
      if ((openInterest.get(market.ticker) ?? 0) !== market.openInterest) {
        throw new Error(`market ${market.ticker} open interest mismatch`);
      }
    }
  }

  // ── Internals: command frame ────────────────────────────────────────────────────────────

  private run<T>(nowMs: EpochMs, body: () => T | EngineError): Result<T> {
    if (!Number.isFinite(nowMs)) throw new Error(`nowMs must be a finite epoch ms, got ${nowMs}`);
    this.events = [];
    if (nowMs > this.nowMs) this.nowMs = nowMs;
    this.applyDueTransitions();
    const value = body();
    this.flush();
    const events = this.events;
    this.events = [];
    return isEngineError(value) ? { ok: false, error: value, events } : { ok: true, value, events };
  }

  private flush(): void {
    // Private events only for accounts that keep history: nobody subscribes to the
    // simulator's own makers and takers, whose churn would otherwise dominate the stream.
    for (const order of this.touchedOrders.values()) {
      if (this.isRecorded(order.accountId)) this.events.push({ type: 'order', order: { ...order } });
    }
    for (const pos of this.touchedPositions.values()) {
      if (this.isRecorded(pos.accountId)) this.events.push({ type: 'position', position: { ...pos } });
    }
    for (const accountId of this.touchedAccounts) {
      const account = this.mustAccount(accountId);
      if (account.recordHistory) this.events.push({ type: 'balance', balance: this.balanceView(account) });
    }
    for (const ticker of this.touchedMarkets) {
      const market = this.markets.get(ticker);
      if (!market) continue;
      const quote = this.quote(market);
      const last = market.lastTicker;
      if (
        !last ||
        last.yesBidCc !== quote.yesBidCc ||
        last.yesAskCc !== quote.yesAskCc ||
        last.lastPriceCc !== quote.lastPriceCc ||
        last.volume !== quote.volume ||
        last.openInterest !== quote.openInterest
      ) {
        market.lastTicker = quote;
        this.events.push({ type: 'ticker', ticker, quote: { ...quote }, tsMs: this.nowMs });
      }
    }
    this.touchedOrders.clear();
    this.touchedPositions.clear();
    this.touchedAccounts.clear();
    this.touchedMarkets.clear();
  }

  private applyDueTransitions(): void {
    if (this.nowMs < this.nextDueMs) return;
    for (const ticker of this.liveTickers) {
      const market = this.markets.get(ticker);
      if (market) this.applyScheduledTransitions(market);
    }
    if (this.expiring.size > 0) {
      for (const orderId of [...this.expiring]) {
        const order = this.orders.get(orderId);
        if (
          order &&
          order.status === 'resting' &&
          order.expirationTime !== null &&
          order.expirationTime <= this.nowMs
        ) {
          this.reduceResting(order, order.remainingCount, 'expired', null);
        }
      }
    }
    this.nextDueMs = Infinity;
    for (const ticker of this.liveTickers) {
      const market = this.markets.get(ticker);
      if (market) this.noteDue(market);
    }
    for (const orderId of this.expiring) {
      const expiration = this.orders.get(orderId)?.expirationTime;
      if (expiration != null) this.nextDueMs = Math.min(this.nextDueMs, expiration);
    }
  }

  private noteDue(market: MarketState): void {
    if (market.status === 'initialized') this.nextDueMs = Math.min(this.nextDueMs, market.openTime);
    if (market.status === 'initialized' || market.status === 'active') {
      this.nextDueMs = Math.min(this.nextDueMs, market.closeTime);
    }
  }

  private applyScheduledTransitions(market: MarketState): void {
    if (market.status === 'initialized' && this.nowMs >= market.openTime && this.nowMs < market.closeTime) {
      market.status = 'active';
      this.lifecycle(market, 'activated');
    }
    if ((market.status === 'initialized' || market.status === 'active') && this.nowMs >= market.closeTime) {
      market.status = 'closed';
      for (const accountKey of [...this.resting.keys()]) {
        if (!accountKey.endsWith(`\u0000${market.ticker}`)) continue;
        for (const orderId of [...(this.resting.get(accountKey) ?? [])]) {
          const order = this.orders.get(orderId);
          if (order) this.reduceResting(order, order.remainingCount, 'market_closed', null);
        }
      }
      this.lifecycle(market, 'closed');
    }
  }

  private lifecycle(market: MarketState, eventType: LifecycleEventType): void {
    this.events.push({
      type: 'market_lifecycle',
      ticker: market.ticker,
      eventType,
      market: { ...market },
      tsMs: this.nowMs,
    });
    this.touchedMarkets.add(market.ticker);
  }

  // ── Internals: order entry ──────────────────────────────────────────────────────────────

  private place(cmd: PlaceOrderCommand): PlaceOrderValue | EngineError {
    const account = this.accounts.get(cmd.accountId);
    if (!account) return fail('not_found', `account ${cmd.accountId} not found`);
    const market = this.markets.get(cmd.ticker);
    const book = this.books.get(cmd.ticker);
    if (!market || !book) return fail('not_found', `market ${cmd.ticker} not found`);
    if (cmd.side !== 'bid' && cmd.side !== 'ask')
      return fail('invalid_parameters', 'side must be bid or ask');
    if (!['fill_or_kill', 'immediate_or_cancel', 'good_till_canceled'].includes(cmd.timeInForce)) {
      return fail(
        'invalid_parameters',
        'time_in_force must be fill_or_kill, immediate_or_cancel or good_till_canceled',
      );
    }
    if (!Number.isSafeInteger(cmd.count) || cmd.count < 1 || cmd.count > MAX_COUNT) {
      return fail('invalid_parameters', `count must be a whole number of contracts in [1, ${MAX_COUNT}]`);
    }
    if (!book.isValidPrice(cmd.priceCc)) {
      return fail(
        'invalid_price',
        `price must be a multiple of ${market.tickCc} centi-cents in [${market.tickCc}, ${ONE_DOLLAR_CC - market.tickCc}]`,
      );
    }
    const stp: SelfTradePrevention = cmd.selfTradePrevention ?? 'taker_at_cross';
    if (stp !== 'taker_at_cross' && stp !== 'maker') {
      return fail('invalid_parameters', 'self_trade_prevention_type must be taker_at_cross or maker');
    }
    const postOnly = cmd.postOnly ?? false;
    const reduceOnly = cmd.reduceOnly ?? false;
    if (postOnly && cmd.timeInForce !== 'good_till_canceled') {
      return fail('invalid_parameters', 'post_only needs time_in_force good_till_canceled');
    }
    const expirationTime = cmd.expirationTime ?? null;
    if (expirationTime !== null) {
      if (cmd.timeInForce !== 'good_till_canceled') {
        return fail('invalid_parameters', 'expiration_time needs time_in_force good_till_canceled');
      }
      if (!Number.isFinite(expirationTime) || expirationTime <= this.nowMs) {
        return fail('invalid_parameters', 'expiration_time must be in the future');
      }
    }
    const clientOrderId = cmd.clientOrderId ?? '';
    if (clientOrderId.length > MAX_CLIENT_ORDER_ID_LENGTH) {
      return fail('invalid_parameters', `client_order_id longer than ${MAX_CLIENT_ORDER_ID_LENGTH}`);
    }
    if (clientOrderId && this.clientOrderIds.has(key(account.accountId, clientOrderId))) {
      return fail('order_already_exists', `client_order_id ${clientOrderId} already used`);
    }
    if (market.status !== 'active')
      return fail('market_closed', `market ${market.ticker} is ${market.status}`);

    const position = this.positions.get(key(account.accountId, market.ticker))?.position ?? 0;
    let count = cmd.count;
    if (reduceOnly) {
      const closable = closableBy(position, cmd.side);
      if (closable === 0)
        return fail('reduce_only_no_position', 'reduce_only order with no position to reduce');
      count = Math.min(count, closable);
    }

    const plan = this.plan(account.accountId, market, book, cmd.side, cmd.priceCc, count, stp, position);
    if (postOnly && plan.crosses) return fail('post_only_cross', 'post_only order would cross the book');
    if (cmd.timeInForce === 'fill_or_kill' && plan.filled < count) {
      if (clientOrderId) this.clientOrderIds.set(key(account.accountId, clientOrderId), '');
      return fail(
        'fill_or_kill_insufficient_resting_volume',
        `only ${plan.filled} of ${count} contracts available`,
      );
    }
    const remainder = count - plan.filled;
    const rests = cmd.timeInForce === 'good_till_canceled' && !plan.selfTradeStop && remainder > 0;
    const restReserve = rests ? this.reserveFor(market, cmd.side, cmd.priceCc, remainder, reduceOnly) : 0;
    const available = account.balanceCc - account.reservedCc + plan.releasedCc;
    if (plan.takerCashCc + restReserve > available) {
      return fail(
        'insufficient_balance',
        `needs ${plan.takerCashCc + restReserve} centi-cents, ${available} available`,
      );
    }

    // Execute: from here on nothing can fail.
    const order: OrderRecord = {
      orderId: makeId(this.config.idNamespace, 'order', ++this.counters.order),
      accountId: account.accountId,
      clientOrderId,
      ticker: market.ticker,
      side: cmd.side,
      outcomeSide: legOf(cmd.side),
      yesPriceCc: cmd.priceCc,
      noPriceCc: ONE_DOLLAR_CC - cmd.priceCc,
      timeInForce: cmd.timeInForce,
      postOnly,
      reduceOnly,
      selfTradePrevention: stp,
      expirationTime,
      status: 'resting',
      // A reduce-only order is placed for what the position allows (Kalshi caps its count).
      initialCount: count,
      fillCount: 0,
      remainingCount: count,
      reducedCount: 0,
      takerFillCostCc: 0,
      makerFillCostCc: 0,
      takerFeesCc: 0,
      makerFeesCc: 0,
      takerFillCount: 0,
      makerFillCount: 0,
      reservedCc: 0,
      priority: ++this.counters.priority,
      cancelReason: null,
      createdTime: this.nowMs,
      lastUpdateTime: this.nowMs,
    };
    this.orders.set(order.orderId, order);
    if (clientOrderId) this.clientOrderIds.set(key(account.accountId, clientOrderId), order.orderId);

    const fills: FillRecord[] = [];
    for (const step of plan.steps) {
      const maker = this.orders.get(step.makerOrderId);
      if (!maker) throw new Error(`planned maker ${step.makerOrderId} vanished`);
      if (step.kind === 'cancel_maker') {
        this.reduceResting(maker, step.count, step.reason, order);
      } else {
        fills.push(...this.executeFill(market, book, order, maker, step.count, step.yesPriceCc));
      }
    }

    if (rests) {
      book.add(legOf(order.side), this.legPrice(order), order.orderId, order.remainingCount);
      this.indexResting(order);
      this.setReserve(order, market);
      this.events.push(this.delta(market.ticker, order, order.remainingCount, order));
    } else if (order.remainingCount > 0) {
      order.reducedCount += order.remainingCount;
      order.remainingCount = 0;
      order.cancelReason = plan.selfTradeStop ? 'self_trade' : 'immediate_or_cancel';
    }
    order.status = this.statusOf(order, rests);
    order.lastUpdateTime = this.nowMs;
    this.afterOrderChange(order);

    // Reduce-only orders may no longer fit the positions that just moved.
    const accountsFilled = new Set(fills.map((f) => f.accountId));
    for (const accountId of accountsFilled) this.capReduceOnly(accountId, market);
    if (!account.recordHistory && order.status !== 'resting') this.forget(order);

    const takerFills = fills.filter((f) => f.orderId === order.orderId);
    const filled = takerFills.reduce((sum, f) => sum + f.count, 0);
    const own = (f: FillRecord): number => (order.side === 'bid' ? f.yesPriceCc : f.noPriceCc);
    return {
      order: { ...order },
      fills: takerFills,
      averageFillPriceCc: filled > 0 ? takerFills.reduce((s, f) => s + f.count * own(f), 0) / filled : null,
      averageFeePaidCc: filled > 0 ? takerFills.reduce((s, f) => s + f.feeCc, 0) / filled : null,
      tsMs: this.nowMs,
    };
  }

  /** Walks the opposite leg without changing anything. */
  private plan(
    accountId: string,
    market: MarketState,
    book: OrderBook,
    side: BookSide,
    limitYesCc: CentiCents,
    count: Contracts,
    stp: SelfTradePrevention,
    takerPosition: number,
  ): MatchPlan {
    const plan: MatchPlan = {
      steps: [],
      filled: 0,
      crosses: false,
      selfTradeStop: false,
      takerCashCc: 0,
      releasedCc: 0,
    };
    const oppositeLeg: OutcomeSide = side === 'bid' ? 'no' : 'yes';
    // Makers' positions as the walk would leave them, for reduce-only makers.
    const makerPositions = new Map<string, number>();
    let takerClosable = closableBy(takerPosition, side);
    walk: for (const legPrice of book.pricesDescending(oppositeLeg)) {
      const yesPrice = side === 'bid' ? ONE_DOLLAR_CC - legPrice : legPrice;
      if (side === 'bid' ? yesPrice > limitYesCc : yesPrice < limitYesCc) break;
      for (const makerId of book.queue(oppositeLeg, legPrice)) {
        if (plan.filled >= count) break walk;
        const maker = this.orders.get(makerId);
        if (!maker) throw new Error(`book holds unknown order ${makerId}`);
        plan.crosses = true;
        if (maker.accountId === accountId) {
          if (stp === 'taker_at_cross') {
            plan.selfTradeStop = true;
            break walk;
          }
          plan.steps.push({
            kind: 'cancel_maker',
            makerOrderId: makerId,
            reason: 'self_trade',
            count: maker.remainingCount,
          });
          plan.releasedCc += maker.reservedCc;
          continue;
        }
        let makerAvailable = maker.remainingCount;
        const makerPos =
          makerPositions.get(maker.accountId) ??
          this.positions.get(key(maker.accountId, market.ticker))?.position ??
          0;
        if (maker.reduceOnly) {
          const closable = closableBy(makerPos, maker.side);
          if (closable < makerAvailable) {
            plan.steps.push({
              kind: 'cancel_maker',
              makerOrderId: makerId,
              reason: 'reduce_only',
              count: makerAvailable - closable,
            });
            makerAvailable = closable;
          }
        }
        const n = Math.min(makerAvailable, count - plan.filled);
        if (n <= 0) continue;
        plan.steps.push({ kind: 'fill', makerOrderId: makerId, count: n, yesPriceCc: yesPrice });
        makerPositions.set(maker.accountId, makerPos + (maker.side === 'bid' ? n : -n));
        plan.filled += n;
        const own = ownPrice(side, yesPrice);
        const netted = Math.min(n, takerClosable);
        takerClosable -= netted;
        plan.takerCashCc +=
          n * own + fillFee(n, own, { coefficientBps: market.takerFeeBps }) - netted * ONE_DOLLAR_CC;
      }
    }
    return plan;
  }

  private executeFill(
    market: MarketState,
    book: OrderBook,
    taker: OrderRecord,
    maker: OrderRecord,
    count: Contracts,
    yesPriceCc: CentiCents,
  ): FillRecord[] {
    const tradeId = makeId(this.config.idNamespace, 'trade', ++this.counters.trade);
    taker.remainingCount -= count;
    // The maker's level first, so a book follower sees the liquidity go with the trade.
    maker.remainingCount -= count;
    if (maker.remainingCount === 0) {
      book.remove(legOf(maker.side), this.legPrice(maker), maker.orderId, count);
      this.unindexResting(maker);
    } else {
      book.reduce(legOf(maker.side), this.legPrice(maker), count);
    }
    this.events.push(this.delta(market.ticker, maker, -count, taker));
    const trade: TradeRecord = {
      tradeId,
      ticker: market.ticker,
      count,
      yesPriceCc,
      noPriceCc: ONE_DOLLAR_CC - yesPriceCc,
      takerSide: taker.side,
      takerOutcomeSide: taker.outcomeSide,
      createdTime: this.nowMs,
    };
    const recent = this.trades.get(market.ticker);
    if (recent) {
      recent.push(trade);
      if (recent.length > this.config.recentTradesPerMarket) recent.shift();
    }
    market.volume += count;
    market.lastPriceCc = yesPriceCc;
    this.touchedMarkets.add(market.ticker);
    this.events.push({ type: 'trade', trade: { ...trade } });

    const takerFill = this.settleFillFor(market, taker, tradeId, count, yesPriceCc, true);
    const makerFill = this.settleFillFor(market, maker, tradeId, count, yesPriceCc, false);
    if (maker.remainingCount === 0) maker.status = 'executed';
    this.setReserve(maker, market);
    this.afterOrderChange(maker);
    if (maker.status !== 'resting' && !this.mustAccount(maker.accountId).recordHistory) this.forget(maker);
    return [takerFill, makerFill];
  }

  /** Charges one party of a trade and records its fill. */
  private settleFillFor(
    market: MarketState,
    order: OrderRecord,
    tradeId: string,
    count: Contracts,
    yesPriceCc: CentiCents,
    isTaker: boolean,
  ): FillRecord {
    const account = this.mustAccount(order.accountId);
    const own = ownPrice(order.side, yesPriceCc);
    const feeCc = fillFee(count, own, { coefficientBps: isTaker ? market.takerFeeBps : market.makerFeeBps });
    const pos = this.positionFor(order.accountId, market);
    const effect = applyFill(pos, order.side, count, own, feeCc, this.nowMs);
    account.balanceCc += effect.cashDeltaCc;
    account.updatedTime = this.nowMs;
    market.openInterest += effect.openInterestDelta;
    order.fillCount += count;
    if (isTaker) {
      order.takerFillCount += count;
      order.takerFillCostCc += count * own;
      order.takerFeesCc += feeCc;
    } else {
      order.makerFillCount += count;
      order.makerFillCostCc += count * own;
      order.makerFeesCc += feeCc;
    }
    order.lastUpdateTime = this.nowMs;
    const fill: FillRecord = {
      fillId: tradeId,
      tradeId,
      orderId: order.orderId,
      accountId: order.accountId,
      clientOrderId: order.clientOrderId,
      ticker: market.ticker,
      side: order.side,
      outcomeSide: order.outcomeSide,
      count,
      yesPriceCc,
      noPriceCc: ONE_DOLLAR_CC - yesPriceCc,
      isTaker,
      feeCc,
      postPosition: pos.position,
      createdTime: this.nowMs,
    };
    if (account.recordHistory) {
      this.fills.push(fill);
      this.events.push({ type: 'fill', fill: { ...fill } });
    }
    this.touchedPositions.set(key(pos.accountId, pos.ticker), pos);
    this.touchedAccounts.add(account.accountId);
    return { ...fill };
  }

  /** Takes `count` off a resting order (cancel, decrease, cap, expiry, close). */
  private reduceResting(
    order: OrderRecord,
    count: Contracts,
    reason: CancelReason,
    cause: OrderRecord | null,
  ): void {
    if (order.status !== 'resting' || count <= 0) return;
    const market = this.markets.get(order.ticker);
    const book = this.books.get(order.ticker);
    if (!market || !book) throw new Error(`resting order ${order.orderId} on unknown market`);
    const cut = Math.min(count, order.remainingCount);
    if (cut === order.remainingCount) {
      book.remove(legOf(order.side), this.legPrice(order), order.orderId, cut);
      this.unindexResting(order);
    } else {
      book.reduce(legOf(order.side), this.legPrice(order), cut);
    }
    order.remainingCount -= cut;
    order.reducedCount += cut;
    if (order.remainingCount === 0) {
      order.status = 'canceled';
      order.cancelReason = reason;
    }
    order.lastUpdateTime = this.nowMs;
    this.setReserve(order, market);
    this.events.push(this.delta(market.ticker, order, -cut, cause));
    this.touchedMarkets.add(market.ticker);
    this.afterOrderChange(order);
    if (order.status !== 'resting' && !this.mustAccount(order.accountId).recordHistory) this.forget(order);
  }

  /** Trims an account's resting reduce-only orders (newest first) to what it can still close. */
  private capReduceOnly(accountId: string, market: MarketState): void {
    const ids = this.restingReduceOnly.get(key(accountId, market.ticker));
    if (!ids || ids.size === 0) return;
    const position = this.positions.get(key(accountId, market.ticker))?.position ?? 0;
    for (const side of ['ask', 'bid'] as const) {
      const reduceOnly = [...ids]
        .map((id) => this.orders.get(id))
        .filter((o): o is OrderRecord => !!o && o.side === side)
        .sort((a, b) => b.priority - a.priority);
      let excess = reduceOnly.reduce((s, o) => s + o.remainingCount, 0) - closableBy(position, side);
      for (const order of reduceOnly) {
        if (excess <= 0) break;
        const cut = Math.min(excess, order.remainingCount);
        this.reduceResting(order, cut, 'reduce_only', null);
        excess -= cut;
      }
    }
  }

  private reserveFor(
    market: MarketState,
    side: BookSide,
    yesPriceCc: CentiCents,
    count: Contracts,
    reduceOnly: boolean,
  ): CentiCents {
    const own = ownPrice(side, yesPriceCc);
    // Per-contract fee bound: Σ ceil(f·nᵢ) ≤ Σ nᵢ·ceil(f) whatever the fills' sizes.
    const feeBound = market.makerFeeBps > 0 ? fillFee(1, own, { coefficientBps: market.makerFeeBps }) : 0;
    return count * ((reduceOnly ? 0 : own) + feeBound);
  }

  private setReserve(order: OrderRecord, market: MarketState): void {
    const next =
      order.status === 'resting'
        ? this.reserveFor(market, order.side, order.yesPriceCc, order.remainingCount, order.reduceOnly)
        : 0;
    if (next === order.reservedCc) return;
    const account = this.mustAccount(order.accountId);
    account.reservedCc += next - order.reservedCc;
    order.reservedCc = next;
    this.touchedAccounts.add(account.accountId);
  }

  private statusOf(order: OrderRecord, rests: boolean): OrderStatus {
    if (rests && order.remainingCount > 0) return 'resting';
    return order.fillCount === order.initialCount ? 'executed' : 'canceled';
  }

  private afterOrderChange(order: OrderRecord): void {
    this.touchedOrders.set(order.orderId, order);
    this.touchedMarkets.add(order.ticker);
  }

  /** Drops a finished order of an account that keeps no history. */
  private forget(order: OrderRecord): void {
    this.orders.delete(order.orderId);
    if (order.clientOrderId) this.clientOrderIds.delete(key(order.accountId, order.clientOrderId));
  }

  private indexResting(order: OrderRecord): void {
    const k = key(order.accountId, order.ticker);
    let set = this.resting.get(k);
    if (!set) {
      set = new Set();
      this.resting.set(k, set);
    }
    set.add(order.orderId);
    if (order.reduceOnly) {
      let reduceOnly = this.restingReduceOnly.get(k);
      if (!reduceOnly) {
        reduceOnly = new Set();
        this.restingReduceOnly.set(k, reduceOnly);
      }
      reduceOnly.add(order.orderId);
    }
    if (order.expirationTime !== null) {
      this.expiring.add(order.orderId);
      this.nextDueMs = Math.min(this.nextDueMs, order.expirationTime);
    }
  }

  private unindexResting(order: OrderRecord): void {
    const k = key(order.accountId, order.ticker);
    const set = this.resting.get(k);
    set?.delete(order.orderId);
    if (set && set.size === 0) this.resting.delete(k);
    const reduceOnly = this.restingReduceOnly.get(k);
    reduceOnly?.delete(order.orderId);
    if (reduceOnly && reduceOnly.size === 0) this.restingReduceOnly.delete(k);
    this.expiring.delete(order.orderId);
  }

  /** An order's price on its own book leg: YES price for a bid, NO price for an ask. */
  private legPrice(order: OrderRecord): CentiCents {
    return order.side === 'bid' ? order.yesPriceCc : order.noPriceCc;
  }

  private delta(ticker: string, order: OrderRecord, delta: number, cause: OrderRecord | null): EngineEvent {
    return {
      type: 'orderbook_delta',
      ticker,
      side: legOf(order.side),
      priceCc: this.legPrice(order),
      delta,
      causedByAccountId: cause ? cause.accountId : null,
      causedByClientOrderId: cause && cause.clientOrderId ? cause.clientOrderId : null,
      tsMs: this.nowMs,
    };
  }

  private positionFor(accountId: string, market: MarketState): PositionRecord {
    const k = key(accountId, market.ticker);
    let pos = this.positions.get(k);
    if (!pos) {
      pos = emptyPosition(accountId, market.ticker, market.eventTicker, this.nowMs);
      this.positions.set(k, pos);
    }
    return pos;
  }

  private isRecorded(accountId: string): boolean {
    return this.accounts.get(accountId)?.recordHistory ?? false;
  }

  private mustAccount(accountId: string): AccountState {
    const account = this.accounts.get(accountId);
    if (!account) throw new Error(`unknown account ${accountId}`);
    return account;
  }

  private balanceView(account: AccountState): BalanceView {
    return {
      accountId: account.accountId,
      balanceCc: account.balanceCc,
      reservedCc: account.reservedCc,
      availableCc: account.balanceCc - account.reservedCc,
      updatedTime: account.updatedTime,
    };
  }

  private quote(market: MarketState): TickerQuote {
    const book = this.books.get(market.ticker);
    const yesBid = book?.best('yes') ?? null;
    const noBid = book?.best('no') ?? null;
    return {
      yesBidCc: yesBid,
      yesAskCc: noBid === null ? null : ONE_DOLLAR_CC - noBid,
      lastPriceCc: market.lastPriceCc,
      volume: market.volume,
      openInterest: market.openInterest,
    };
  }

  private marketView(market: MarketState): MarketView {
    const book = this.books.get(market.ticker);
    const yesBid = book?.best('yes') ?? null;
    const noBid = book?.best('no') ?? null;
    return {
      ...market,
      lastTicker: market.lastTicker ? { ...market.lastTicker } : null,
      yesBidCc: yesBid,
      yesBidSize: yesBid !== null && book ? book.total('yes', yesBid) : 0,
      yesAskCc: noBid === null ? null : ONE_DOLLAR_CC - noBid,
      yesAskSize: noBid !== null && book ? book.total('no', noBid) : 0,
      noBidCc: noBid,
      noAskCc: yesBid === null ? null : ONE_DOLLAR_CC - yesBid,
    };
  }
}
