import { describe, it, expect } from 'vitest';
import { takerFee } from '../../domain/kalshi/fees.ts';
import { ExchangeEngine } from './engine.ts';
import type { EngineEvent, PlaceOrderCommand, Result } from './types.ts';

const T0 = Date.parse('2025-08-03T19:00:00Z');
const CLOSE = T0 + 3_600_000;
const TICKER = 'KXBTCD-25AUG0316-T114749.99';
const $ = (dollars: number): number => Math.round(dollars * 10_000);

function setup(options: { makerFeeBps?: number } = {}): ExchangeEngine {
  const engine = new ExchangeEngine({ idNamespace: '0000abcd' }, T0);
  for (const [accountId, balance] of [
    ['alice', $(1_000)],
    ['bob', $(1_000)],
    ['mm', $(1_000_000)],
  ] as const) {
    ok(engine.createAccount({ accountId, balanceCc: balance, nowMs: T0 }));
  }
  ok(
    engine.createMarket(
      {
        ticker: TICKER,
        eventTicker: 'KXBTCD-25AUG0316',
        seriesTicker: 'KXBTCD',
        strike: 114_750,
        openTime: T0,
        closeTime: CLOSE,
        makerFeeBps: options.makerFeeBps ?? 0,
      },
      T0,
    ),
  );
  return engine;
}

function ok<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

function order(
  partial: Partial<PlaceOrderCommand> & Pick<PlaceOrderCommand, 'accountId' | 'side' | 'count' | 'priceCc'>,
): PlaceOrderCommand {
  return { ticker: TICKER, timeInForce: 'good_till_canceled', nowMs: T0 + 1_000, ...partial };
}

/** mm rests NO bids so that YES asks sit at the given YES prices. */
function yesAsks(engine: ExchangeEngine, levels: [yesCents: number, count: number][]): void {
  for (const [cents, count] of levels) {
    ok(engine.placeOrder(order({ accountId: 'mm', side: 'ask', count, priceCc: cents * 100 })));
  }
}

function conservedTotal(engine: ExchangeEngine): number {
  const snapshot = engine.snapshot();
  const cash = snapshot.accounts.reduce((s, a) => s + a.balanceCc, 0);
  const fees = snapshot.positions.reduce((s, p) => s + p.feesPaidCc, 0);
  const escrow = snapshot.markets.reduce((s, m) => s + m.openInterest * 10_000, 0);
  return cash + fees + escrow;
}

describe('fill or kill', () => {
  it('fails with 409 fill_or_kill_insufficient_resting_volume and changes nothing', () => {
    const engine = setup();
    yesAsks(engine, [[60, 10]]);
    const before = engine.snapshot();
    const result = engine.placeOrder(
      order({
        accountId: 'alice',
        side: 'bid',
        count: 20,
        priceCc: 6_000,
        timeInForce: 'fill_or_kill',
        clientOrderId: 'fok-1',
      }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('fill_or_kill_insufficient_resting_volume');
    expect(result.error.httpStatus).toBe(409);
    expect(engine.getOrderbook(TICKER)).toEqual({ ticker: TICKER, yes: [], no: [[4_000, 10]] });
    const after = engine.snapshot();
    expect({ ...after, clientOrderIds: [] }).toEqual({ ...before, clientOrderIds: [] });
    expect(after.clientOrderIds).toEqual([['alice', 'fok-1', '']]);
    // A killed FOK still consumes its client_order_id (as Kalshi does).
    const again = engine.placeOrder(
      order({
        accountId: 'alice',
        side: 'bid',
        count: 5,
        priceCc: 6_000,
        timeInForce: 'fill_or_kill',
        clientOrderId: 'fok-1',
      }),
    );
    expect(again.ok ? 'ok' : again.error.code).toBe('order_already_exists');
  });

  it('fills completely when the volume is there, across levels', () => {
    const engine = setup();
    yesAsks(engine, [
      [55, 5],
      [58, 5],
    ]);
    const value = ok(
      engine.placeOrder(
        order({ accountId: 'alice', side: 'bid', count: 10, priceCc: 6_000, timeInForce: 'fill_or_kill' }),
      ),
    );
    expect(value.order.status).toBe('executed');
    expect(value.order.fillCount).toBe(10);
    expect(value.fills.map((f) => [f.count, f.yesPriceCc])).toEqual([
      [5, 5_500],
      [5, 5_800],
    ]);
  });
});

describe('immediate or cancel', () => {
  it('fills what rests and cancels the rest', () => {
    const engine = setup();
    yesAsks(engine, [[60, 10]]);
    const value = ok(
      engine.placeOrder(
        order({
          accountId: 'alice',
          side: 'bid',
          count: 20,
          priceCc: 6_000,
          timeInForce: 'immediate_or_cancel',
        }),
      ),
    );
    expect(value.order).toMatchObject({
      status: 'canceled',
      fillCount: 10,
      remainingCount: 0,
      reducedCount: 10,
      cancelReason: 'immediate_or_cancel',
    });
    const fee = takerFee(10, 6_000);
    expect(fee).toBe(1_700); // 0.168 → $0.17
    expect(value.fills).toHaveLength(1);
    expect(value.fills[0]).toMatchObject({
      count: 10,
      yesPriceCc: 6_000,
      noPriceCc: 4_000,
      isTaker: true,
      feeCc: fee,
      postPosition: 10,
      side: 'bid',
      outcomeSide: 'yes',
    });
    expect(engine.getBalance('alice')?.balanceCc).toBe($(1_000) - 10 * 6_000 - fee);
    expect(engine.getOrderbook(TICKER)?.no).toEqual([]);
  });

  it('cancels with no fill when nothing crosses (a 2xx with fill_count 0)', () => {
    const engine = setup();
    yesAsks(engine, [[60, 10]]);
    const value = ok(
      engine.placeOrder(
        order({
          accountId: 'alice',
          side: 'bid',
          count: 5,
          priceCc: 5_900,
          timeInForce: 'immediate_or_cancel',
        }),
      ),
    );
    expect(value.order).toMatchObject({ status: 'canceled', fillCount: 0 });
    expect(value.averageFillPriceCc).toBeNull();
  });
});

describe('walking the book', () => {
  it('takes level after level at each maker price with a fee per fill', () => {
    const engine = setup();
    yesAsks(engine, [
      [55, 5],
      [58, 5],
      [60, 10],
      [61, 10],
    ]);
    const value = ok(
      engine.placeOrder(
        order({
          accountId: 'alice',
          side: 'bid',
          count: 15,
          priceCc: 6_000,
          timeInForce: 'immediate_or_cancel',
        }),
      ),
    );
    expect(value.fills.map((f) => [f.count, f.yesPriceCc, f.feeCc])).toEqual([
      [5, 5_500, takerFee(5, 5_500)],
      [5, 5_800, takerFee(5, 5_800)],
      [5, 6_000, takerFee(5, 6_000)],
    ]);
    expect(value.fills.map((f) => f.feeCc)).toEqual([900, 900, 900]); // per fill, each rounded up
    expect(value.averageFillPriceCc).toBeCloseTo((5 * 5_500 + 5 * 5_800 + 5 * 6_000) / 15, 9);
    expect(value.averageFeePaidCc).toBe(180);
    expect(value.order.takerFillCostCc).toBe(5 * 5_500 + 5 * 5_800 + 5 * 6_000);
    expect(value.order.takerFeesCc).toBe(2_700);
    expect(engine.getOrderbook(TICKER)?.no).toEqual([
      [3_900, 10],
      [4_000, 5],
    ]);
    expect(engine.getBalance('alice')?.balanceCc).toBe($(1_000) - 86_500 - 2_700);
  });

  it('sells YES into YES bids best first (ask = buy NO)', () => {
    const engine = setup();
    for (const [cents, count] of [
      [40, 3],
      [42, 3],
      [41, 3],
    ] as const) {
      ok(engine.placeOrder(order({ accountId: 'mm', side: 'bid', count, priceCc: cents * 100 })));
    }
    const value = ok(
      engine.placeOrder(
        order({
          accountId: 'alice',
          side: 'ask',
          count: 7,
          priceCc: 4_000,
          timeInForce: 'immediate_or_cancel',
        }),
      ),
    );
    expect(value.fills.map((f) => [f.count, f.yesPriceCc, f.noPriceCc, f.outcomeSide])).toEqual([
      [3, 4_200, 5_800, 'no'],
      [3, 4_100, 5_900, 'no'],
      [1, 4_000, 6_000, 'no'],
    ]);
    // Alice bought 7 NO: she paid the NO prices.
    expect(engine.getPosition('alice', TICKER)).toMatchObject({
      position: -7,
      costBasisCc: 3 * 5_800 + 3 * 5_900 + 6_000,
    });
    expect(value.averageFillPriceCc).toBeCloseTo((3 * 5_800 + 3 * 5_900 + 6_000) / 7, 9);
  });

  it('keeps time priority within a level', () => {
    const engine = setup();
    const first = ok(engine.placeOrder(order({ accountId: 'mm', side: 'ask', count: 5, priceCc: 6_000 })));
    const second = ok(engine.placeOrder(order({ accountId: 'bob', side: 'ask', count: 5, priceCc: 6_000 })));
    const value = ok(
      engine.placeOrder(
        order({
          accountId: 'alice',
          side: 'bid',
          count: 7,
          priceCc: 6_000,
          timeInForce: 'immediate_or_cancel',
        }),
      ),
    );
    const makerFills = value.fills.length;
    expect(makerFills).toBe(2);
    expect(engine.getOrder('mm', first.order.orderId)?.status).toBe('executed');
    expect(engine.getOrder('bob', second.order.orderId)).toMatchObject({
      status: 'resting',
      remainingCount: 3,
      fillCount: 2,
    });
  });
});

describe('good till canceled', () => {
  it('rests, then fills against later taker flow at the resting price', () => {
    const engine = setup();
    const resting = ok(
      engine.placeOrder(
        order({ accountId: 'alice', side: 'bid', count: 10, priceCc: 5_000, clientOrderId: 'gtc-1' }),
      ),
    );
    expect(resting.order).toMatchObject({ status: 'resting', remainingCount: 10, reservedCc: 50_000 });
    expect(engine.getBalance('alice')).toMatchObject({
      balanceCc: $(1_000),
      reservedCc: 50_000,
      availableCc: $(1_000) - 50_000,
    });
    expect(engine.getOrderbook(TICKER)?.yes).toEqual([[5_000, 10]]);

    const taker = engine.placeOrder(
      order({
        accountId: 'bob',
        side: 'ask',
        count: 4,
        priceCc: 4_800,
        timeInForce: 'immediate_or_cancel',
        nowMs: T0 + 5_000,
      }),
    );
    const value = ok(taker);
    expect(value.fills[0]).toMatchObject({
      yesPriceCc: 5_000,
      count: 4,
      isTaker: true,
      feeCc: takerFee(4, 5_000),
    });
    const makerFill = engine.listFills('alice')[0];
    expect(makerFill).toMatchObject({
      orderId: resting.order.orderId,
      isTaker: false,
      feeCc: 0,
      count: 4,
      yesPriceCc: 5_000,
      clientOrderId: 'gtc-1',
      createdTime: T0 + 5_000,
    });
    expect(makerFill?.fillId).toBe(value.fills[0]?.tradeId);
    expect(engine.getOrder('alice', resting.order.orderId)).toMatchObject({
      status: 'resting',
      fillCount: 4,
      remainingCount: 6,
      reservedCc: 30_000,
      makerFillCostCc: 20_000,
    });
    expect(engine.getBalance('alice')).toMatchObject({ balanceCc: $(1_000) - 20_000, reservedCc: 30_000 });

    // The orderbook delta of the fill names the taker's order, not the maker's.
    const deltas = taker.events.filter(
      (e): e is Extract<EngineEvent, { type: 'orderbook_delta' }> => e.type === 'orderbook_delta',
    );
    expect(deltas).toEqual([
      expect.objectContaining({ side: 'yes', priceCc: 5_000, delta: -4, causedByAccountId: 'bob' }),
    ]);
    expect(taker.events.some((e) => e.type === 'trade' && e.trade.takerSide === 'ask')).toBe(true);
  });

  it('charges maker fees per fill when the market has them, reserving a safe bound', () => {
    const engine = setup({ makerFeeBps: 175 });
    const resting = ok(
      engine.placeOrder(order({ accountId: 'alice', side: 'bid', count: 10, priceCc: 5_000 })),
    );
    expect(resting.order.reservedCc).toBe(10 * (5_000 + 100));
    ok(
      engine.placeOrder(
        order({
          accountId: 'bob',
          side: 'ask',
          count: 3,
          priceCc: 5_000,
          timeInForce: 'immediate_or_cancel',
        }),
      ),
    );
    const fill = engine.listFills('alice')[0];
    expect(fill?.feeCc).toBe(200); // 0.0175 × 3 × 0.5 × 0.5 = $0.013125 → $0.02
  });

  it('cancels with reduced_by and refuses a second cancel', () => {
    const engine = setup();
    const placed = ok(
      engine.placeOrder(
        order({ accountId: 'alice', side: 'ask', count: 8, priceCc: 7_000, clientOrderId: 'c-1' }),
      ),
    );
    expect(engine.getBalance('alice')?.reservedCc).toBe(8 * 3_000);
    const result = engine.cancelOrder({
      accountId: 'alice',
      orderId: placed.order.orderId,
      nowMs: T0 + 2_000,
    });
    const value = ok(result);
    expect(value).toMatchObject({ reducedBy: 8, clientOrderId: 'c-1', tsMs: T0 + 2_000 });
    expect(value.order).toMatchObject({ status: 'canceled', cancelReason: 'user', remainingCount: 0 });
    expect(engine.getBalance('alice')?.reservedCc).toBe(0);
    expect(result.events).toContainEqual(
      expect.objectContaining({
        type: 'orderbook_delta',
        side: 'no',
        priceCc: 3_000,
        delta: -8,
        causedByClientOrderId: 'c-1',
      }),
    );
    const again = engine.cancelOrder({
      accountId: 'alice',
      orderId: placed.order.orderId,
      nowMs: T0 + 3_000,
    });
    expect(again.ok ? 'ok' : again.error).toMatchObject({ code: 'not_found', httpStatus: 404 });
    const foreign = engine.cancelOrder({
      accountId: 'bob',
      orderId: placed.order.orderId,
      nowMs: T0 + 3_000,
    });
    expect(foreign.ok).toBe(false);
  });

  it('decreases an order keeping its place in the queue', () => {
    const engine = setup();
    const a = ok(engine.placeOrder(order({ accountId: 'alice', side: 'bid', count: 10, priceCc: 5_000 })));
    ok(engine.placeOrder(order({ accountId: 'bob', side: 'bid', count: 10, priceCc: 5_000 })));
    const dec = ok(
      engine.decreaseOrder({ accountId: 'alice', orderId: a.order.orderId, reduceTo: 4, nowMs: T0 + 2_000 }),
    );
    expect(dec.reducedBy).toBe(6);
    ok(
      engine.placeOrder(
        order({ accountId: 'mm', side: 'ask', count: 4, priceCc: 5_000, timeInForce: 'immediate_or_cancel' }),
      ),
    );
    expect(engine.getOrder('alice', a.order.orderId)?.status).toBe('executed');
    expect(engine.getOrderbook(TICKER)?.yes).toEqual([[5_000, 10]]);
  });

  it('expires a good-till-time order when its time comes', () => {
    const engine = setup();
    const placed = ok(
      engine.placeOrder(
        order({ accountId: 'alice', side: 'bid', count: 3, priceCc: 2_000, expirationTime: T0 + 60_000 }),
      ),
    );
    expect(engine.advanceTime(T0 + 59_999).some((e) => e.type === 'order')).toBe(false);
    const events = engine.advanceTime(T0 + 60_000);
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'order',
        order: expect.objectContaining({
          orderId: placed.order.orderId,
          status: 'canceled',
          cancelReason: 'expired',
        }),
      }),
    );
    expect(engine.getBalance('alice')?.reservedCc).toBe(0);
  });
});

describe('order validation', () => {
  it('rejects a duplicate client_order_id per account, not across accounts', () => {
    const engine = setup();
    ok(
      engine.placeOrder(
        order({ accountId: 'alice', side: 'bid', count: 1, priceCc: 1_000, clientOrderId: 'same' }),
      ),
    );
    const dup = engine.placeOrder(
      order({ accountId: 'alice', side: 'bid', count: 1, priceCc: 1_100, clientOrderId: 'same' }),
    );
    expect(dup.ok ? 'ok' : dup.error).toMatchObject({ code: 'order_already_exists', httpStatus: 409 });
    ok(
      engine.placeOrder(
        order({ accountId: 'bob', side: 'bid', count: 1, priceCc: 1_000, clientOrderId: 'same' }),
      ),
    );
    expect(engine.findOrderByClientId('alice', 'same')?.yesPriceCc).toBe(1_000);
  });

  it('rejects prices off the tick or outside (0, 1)', () => {
    const engine = setup();
    for (const priceCc of [0, 50, 10_000, 5_001, -100]) {
      const result = engine.placeOrder(order({ accountId: 'alice', side: 'bid', count: 1, priceCc }));
      expect(result.ok ? 'ok' : result.error.code).toBe('invalid_price');
    }
  });

  it('rejects bad counts and unknown markets or accounts', () => {
    const engine = setup();
    for (const count of [0, -1, 1.5, Number.NaN]) {
      const result = engine.placeOrder(order({ accountId: 'alice', side: 'bid', count, priceCc: 5_000 }));
      expect(result.ok ? 'ok' : result.error.code).toBe('invalid_parameters');
    }
    const market = engine.placeOrder(
      order({ accountId: 'alice', side: 'bid', count: 1, priceCc: 5_000, ticker: 'NOPE' }),
    );
    expect(market.ok ? 'ok' : market.error.code).toBe('not_found');
    const account = engine.placeOrder(order({ accountId: 'carol', side: 'bid', count: 1, priceCc: 5_000 }));
    expect(account.ok ? 'ok' : account.error.code).toBe('not_found');
  });

  it('rejects what the balance cannot pay and leaves no trace', () => {
    const engine = setup();
    ok(engine.createAccount({ accountId: 'poor', balanceCc: $(5), nowMs: T0 }));
    yesAsks(engine, [[50, 100]]);
    const taking = engine.placeOrder(
      order({
        accountId: 'poor',
        side: 'bid',
        count: 10,
        priceCc: 5_000,
        timeInForce: 'immediate_or_cancel',
      }),
    );
    expect(taking.ok ? 'ok' : taking.error.code).toBe('insufficient_balance'); // $5 + fee > $5
    const resting = engine.placeOrder(order({ accountId: 'poor', side: 'bid', count: 12, priceCc: 4_500 }));
    expect(resting.ok ? 'ok' : resting.error.code).toBe('insufficient_balance');
    ok(
      engine.placeOrder(
        order({
          accountId: 'poor',
          side: 'bid',
          count: 9,
          priceCc: 5_000,
          timeInForce: 'immediate_or_cancel',
        }),
      ),
    );
    expect(engine.getBalance('poor')?.balanceCc).toBe($(5) - 9 * 5_000 - takerFee(9, 5_000));
  });

  it('rejects a crossing post-only order and rests one that does not cross', () => {
    const engine = setup();
    yesAsks(engine, [[60, 10]]);
    const crossing = engine.placeOrder(
      order({ accountId: 'alice', side: 'bid', count: 1, priceCc: 6_000, postOnly: true }),
    );
    expect(crossing.ok ? 'ok' : crossing.error.code).toBe('post_only_cross');
    const passive = ok(
      engine.placeOrder(order({ accountId: 'alice', side: 'bid', count: 1, priceCc: 5_900, postOnly: true })),
    );
    expect(passive.order.status).toBe('resting');
  });
});

describe('self-trade prevention', () => {
  it('taker_at_cross stops at the own order, keeping fills already made', () => {
    const engine = setup();
    yesAsks(engine, [[55, 2]]);
    const own = ok(engine.placeOrder(order({ accountId: 'alice', side: 'ask', count: 5, priceCc: 5_700 })));
    yesAsks(engine, [[58, 5]]);
    const value = ok(
      engine.placeOrder(order({ accountId: 'alice', side: 'bid', count: 10, priceCc: 6_000 })),
    );
    expect(value.order).toMatchObject({ fillCount: 2, status: 'canceled', cancelReason: 'self_trade' });
    expect(engine.getOrder('alice', own.order.orderId)?.status).toBe('resting');
  });

  it('maker cancels the own resting order and goes on', () => {
    const engine = setup();
    const own = ok(engine.placeOrder(order({ accountId: 'alice', side: 'ask', count: 5, priceCc: 5_700 })));
    yesAsks(engine, [[58, 5]]);
    const value = ok(
      engine.placeOrder(
        order({ accountId: 'alice', side: 'bid', count: 5, priceCc: 6_000, selfTradePrevention: 'maker' }),
      ),
    );
    expect(value.order).toMatchObject({ fillCount: 5, status: 'executed' });
    expect(value.fills[0]?.yesPriceCc).toBe(5_800);
    expect(engine.getOrder('alice', own.order.orderId)).toMatchObject({
      status: 'canceled',
      cancelReason: 'self_trade',
    });
  });
});

describe('positions net YES against NO', () => {
  it('realises 1 − yes_cost − no_cost per netted pair', () => {
    const engine = setup();
    yesAsks(engine, [[40, 10]]);
    ok(
      engine.placeOrder(
        order({
          accountId: 'alice',
          side: 'bid',
          count: 10,
          priceCc: 4_000,
          timeInForce: 'immediate_or_cancel',
        }),
      ),
    );
    ok(engine.placeOrder(order({ accountId: 'mm', side: 'bid', count: 10, priceCc: 7_000 })));
    const sell = ok(
      engine.placeOrder(
        order({
          accountId: 'alice',
          side: 'ask',
          count: 10,
          priceCc: 7_000,
          timeInForce: 'immediate_or_cancel',
        }),
      ),
    );
    expect(sell.fills[0]).toMatchObject({ yesPriceCc: 7_000, noPriceCc: 3_000, postPosition: 0 });
    const fees = takerFee(10, 4_000) + takerFee(10, 3_000);
    expect(engine.getPosition('alice', TICKER)).toMatchObject({
      position: 0,
      costBasisCc: 0,
      realizedPnlCc: 10 * (10_000 - 4_000 - 3_000),
      feesPaidCc: fees,
      totalTradedCc: 10 * 4_000 + 10 * 3_000,
      volume: 20,
    });
    expect(engine.getBalance('alice')?.balanceCc).toBe($(1_000) + 10 * 3_000 - fees);
  });

  it('nets, then flips, with pro-rata cost basis', () => {
    const engine = setup();
    yesAsks(engine, [[40, 10]]);
    ok(
      engine.placeOrder(
        order({
          accountId: 'alice',
          side: 'bid',
          count: 10,
          priceCc: 4_000,
          timeInForce: 'immediate_or_cancel',
        }),
      ),
    );
    ok(engine.placeOrder(order({ accountId: 'mm', side: 'bid', count: 15, priceCc: 7_000 })));
    ok(
      engine.placeOrder(
        order({
          accountId: 'alice',
          side: 'ask',
          count: 4,
          priceCc: 7_000,
          timeInForce: 'immediate_or_cancel',
        }),
      ),
    );
    expect(engine.getPosition('alice', TICKER)).toMatchObject({
      position: 6,
      costBasisCc: 24_000,
      realizedPnlCc: 4 * 3_000,
    });
    ok(
      engine.placeOrder(
        order({
          accountId: 'alice',
          side: 'ask',
          count: 11,
          priceCc: 7_000,
          timeInForce: 'immediate_or_cancel',
        }),
      ),
    );
    expect(engine.getPosition('alice', TICKER)).toMatchObject({
      position: -5,
      costBasisCc: 5 * 3_000,
      realizedPnlCc: 10 * 3_000,
    });
    expect(engine.getMarket(TICKER)?.openInterest).toBe(5); // mm went from −10 to +5
    engine.checkInvariants();
  });

  it('lets a holder sell with no cash beyond the fee (the netting pays)', () => {
    const engine = setup();
    ok(
      engine.createAccount({
        accountId: 'carol',
        balanceCc: 4_000 + takerFee(1, 4_000) + takerFee(1, 6_000),
        nowMs: T0,
      }),
    );
    yesAsks(engine, [[40, 1]]);
    ok(
      engine.placeOrder(
        order({
          accountId: 'carol',
          side: 'bid',
          count: 1,
          priceCc: 4_000,
          timeInForce: 'immediate_or_cancel',
        }),
      ),
    );
    ok(engine.placeOrder(order({ accountId: 'mm', side: 'bid', count: 1, priceCc: 4_000 })));
    const sell = engine.placeOrder(
      order({
        accountId: 'carol',
        side: 'ask',
        count: 1,
        priceCc: 4_000,
        timeInForce: 'immediate_or_cancel',
      }),
    );
    expect(sell.ok).toBe(true);
    expect(engine.getBalance('carol')?.balanceCc).toBe(4_000);
  });
});

describe('reduce only', () => {
  it('caps the count to the position and never flips', () => {
    const engine = setup();
    yesAsks(engine, [[40, 5]]);
    ok(
      engine.placeOrder(
        order({
          accountId: 'alice',
          side: 'bid',
          count: 5,
          priceCc: 4_000,
          timeInForce: 'immediate_or_cancel',
        }),
      ),
    );
    ok(engine.placeOrder(order({ accountId: 'mm', side: 'bid', count: 50, priceCc: 3_000 })));
    const close = ok(
      engine.placeOrder(
        order({
          accountId: 'alice',
          side: 'ask',
          count: 10,
          priceCc: 100,
          timeInForce: 'immediate_or_cancel',
          reduceOnly: true,
        }),
      ),
    );
    expect(close.order).toMatchObject({ initialCount: 5, fillCount: 5, status: 'executed' });
    expect(engine.getPosition('alice', TICKER)?.position).toBe(0);
    const more = engine.placeOrder(
      order({
        accountId: 'alice',
        side: 'ask',
        count: 1,
        priceCc: 100,
        timeInForce: 'immediate_or_cancel',
        reduceOnly: true,
      }),
    );
    expect(more.ok ? 'ok' : more.error.code).toBe('reduce_only_no_position');
    const wrongWay = engine.placeOrder(
      order({ accountId: 'bob', side: 'bid', count: 1, priceCc: 5_000, reduceOnly: true }),
    );
    expect(wrongWay.ok ? 'ok' : wrongWay.error.code).toBe('reduce_only_no_position');
  });

  it('trims a resting reduce-only order when the position shrinks elsewhere', () => {
    const engine = setup();
    yesAsks(engine, [[40, 6]]);
    ok(
      engine.placeOrder(
        order({
          accountId: 'alice',
          side: 'bid',
          count: 6,
          priceCc: 4_000,
          timeInForce: 'immediate_or_cancel',
        }),
      ),
    );
    const takeProfit = ok(
      engine.placeOrder(
        order({ accountId: 'alice', side: 'ask', count: 6, priceCc: 9_000, reduceOnly: true }),
      ),
    );
    expect(takeProfit.order.reservedCc).toBe(0); // it can only net
    ok(engine.placeOrder(order({ accountId: 'mm', side: 'bid', count: 4, priceCc: 5_000 })));
    ok(
      engine.placeOrder(
        order({
          accountId: 'alice',
          side: 'ask',
          count: 4,
          priceCc: 5_000,
          timeInForce: 'immediate_or_cancel',
        }),
      ),
    );
    expect(engine.getOrder('alice', takeProfit.order.orderId)).toMatchObject({
      remainingCount: 2,
      status: 'resting',
    });
    // Taker flow sweeps it: alice ends flat, never short.
    ok(
      engine.placeOrder(
        order({
          accountId: 'bob',
          side: 'bid',
          count: 10,
          priceCc: 9_000,
          timeInForce: 'immediate_or_cancel',
        }),
      ),
    );
    expect(engine.getPosition('alice', TICKER)?.position).toBe(0);
    engine.checkInvariants();
  });

  it('a resting reduce-only maker cannot be flipped within one sweep', () => {
    const engine = setup();
    yesAsks(engine, [[40, 5]]);
    ok(
      engine.placeOrder(
        order({
          accountId: 'alice',
          side: 'bid',
          count: 5,
          priceCc: 4_000,
          timeInForce: 'immediate_or_cancel',
        }),
      ),
    );
    ok(engine.placeOrder(order({ accountId: 'alice', side: 'ask', count: 5, priceCc: 8_000 })));
    const ro = ok(
      engine.placeOrder(
        order({ accountId: 'alice', side: 'ask', count: 5, priceCc: 8_000, reduceOnly: true }),
      ),
    );
    ok(
      engine.placeOrder(
        order({
          accountId: 'bob',
          side: 'bid',
          count: 20,
          priceCc: 8_000,
          timeInForce: 'immediate_or_cancel',
        }),
      ),
    );
    expect(engine.getPosition('alice', TICKER)?.position).toBe(0); // the plain order closed the YES…
    expect(engine.getOrder('alice', ro.order.orderId)).toMatchObject({
      status: 'canceled',
      cancelReason: 'reduce_only',
      fillCount: 0,
    }); // …the reduce-only one did not
    engine.checkInvariants();
  });
});

describe('lifecycle and settlement', () => {
  it('opens and closes only as time passes through the arguments', () => {
    const engine = new ExchangeEngine({}, T0 - 10_000);
    ok(engine.createAccount({ accountId: 'alice', balanceCc: $(100), nowMs: T0 - 10_000 }));
    const created = engine.createMarket(
      {
        ticker: TICKER,
        eventTicker: 'E',
        seriesTicker: 'KXBTCD',
        strike: 114_750,
        openTime: T0,
        closeTime: CLOSE,
      },
      T0 - 10_000,
    );
    expect(ok(created).status).toBe('initialized');
    const early = engine.placeOrder(
      order({ accountId: 'alice', side: 'bid', count: 1, priceCc: 5_000, nowMs: T0 - 1 }),
    );
    expect(early.ok ? 'ok' : early.error).toMatchObject({ code: 'market_closed', httpStatus: 409 });
    expect(engine.advanceTime(T0)).toContainEqual(
      expect.objectContaining({ type: 'market_lifecycle', eventType: 'activated' }),
    );
    const resting = ok(
      engine.placeOrder(order({ accountId: 'alice', side: 'bid', count: 1, priceCc: 5_000, nowMs: T0 + 1 })),
    );
    const closing = engine.advanceTime(CLOSE);
    expect(closing).toContainEqual(
      expect.objectContaining({ type: 'market_lifecycle', eventType: 'closed' }),
    );
    expect(engine.getOrder('alice', resting.order.orderId)).toMatchObject({
      status: 'canceled',
      cancelReason: 'market_closed',
    });
    expect(engine.getBalance('alice')?.reservedCc).toBe(0);
    // Time never goes back: an older timestamp does not reopen the market.
    const late = engine.placeOrder(
      order({ accountId: 'alice', side: 'bid', count: 1, priceCc: 5_000, nowMs: T0 + 5 }),
    );
    expect(late.ok ? 'ok' : late.error.code).toBe('market_closed');
    expect(engine.now).toBe(CLOSE);
  });

  it('pays $1 per net winning contract at settlement', () => {
    const engine = setup();
    ok(engine.placeOrder(order({ accountId: 'bob', side: 'ask', count: 10, priceCc: 3_000 })));
    ok(
      engine.placeOrder(
        order({
          accountId: 'alice',
          side: 'bid',
          count: 10,
          priceCc: 3_000,
          timeInForce: 'immediate_or_cancel',
        }),
      ),
    );
    const total = conservedTotal(engine);
    expect(engine.getMarket(TICKER)?.openInterest).toBe(10);
    engine.advanceTime(CLOSE);
    const early = engine.settleMarket({ ticker: TICKER, nowMs: CLOSE + 1 });
    expect(early.ok).toBe(false);
    const determined = ok(
      engine.determineMarket({
        ticker: TICKER,
        result: 'yes',
        expirationValue: '114800.12',
        nowMs: CLOSE + 70_000,
      }),
    );
    expect(determined).toMatchObject({ status: 'determined', result: 'yes', determinedTime: CLOSE + 70_000 });
    const result = engine.settleMarket({ ticker: TICKER, nowMs: CLOSE + 229_000 });
    const records = ok(result);
    expect(records).toEqual([
      expect.objectContaining({
        accountId: 'alice',
        marketResult: 'yes',
        yesCount: 10,
        noCount: 0,
        yesTotalCostCc: 30_000,
        revenueCc: 100_000,
        feeCostCc: takerFee(10, 3_000),
        valueCc: 10_000,
        settledTime: CLOSE + 229_000,
      }),
      expect.objectContaining({
        accountId: 'bob',
        marketResult: 'yes',
        yesCount: 0,
        noCount: 10,
        noTotalCostCc: 70_000,
        revenueCc: 0,
      }),
    ]);
    expect(engine.getBalance('alice')?.balanceCc).toBe($(1_000) - 30_000 - takerFee(10, 3_000) + 100_000);
    expect(engine.getBalance('bob')?.balanceCc).toBe($(1_000) - 70_000);
    expect(engine.getPosition('alice', TICKER)).toMatchObject({ position: 0, realizedPnlCc: 70_000 });
    expect(engine.getPosition('bob', TICKER)).toMatchObject({ position: 0, realizedPnlCc: -70_000 });
    expect(engine.getMarket(TICKER)).toMatchObject({ status: 'settled', openInterest: 0 });
    expect(engine.listSettlements('alice')).toHaveLength(1);
    expect(conservedTotal(engine)).toBe(total);
    expect(
      result.events
        .filter((e) => e.type === 'market_lifecycle')
        .map((e) => e.type === 'market_lifecycle' && e.eventType),
    ).toEqual(['settled']);
  });
});

describe('snapshot and restore', () => {
  it('round-trips through JSON and behaves identically afterwards', () => {
    const engine = setup();
    yesAsks(engine, [
      [55, 5],
      [58, 5],
      [60, 10],
    ]);
    ok(
      engine.placeOrder(
        order({
          accountId: 'alice',
          side: 'bid',
          count: 7,
          priceCc: 5_800,
          timeInForce: 'immediate_or_cancel',
        }),
      ),
    );
    ok(
      engine.placeOrder(
        order({ accountId: 'alice', side: 'bid', count: 4, priceCc: 5_000, clientOrderId: 'x' }),
      ),
    );
    ok(
      engine.placeOrder(
        order({ accountId: 'bob', side: 'bid', count: 4, priceCc: 5_000, expirationTime: T0 + 30_000 }),
      ),
    );

    const restored = ExchangeEngine.restore(JSON.parse(JSON.stringify(engine.snapshot())));
    expect(restored.snapshot()).toEqual(engine.snapshot());

    const next: PlaceOrderCommand[] = [
      order({
        accountId: 'mm',
        side: 'ask',
        count: 6,
        priceCc: 5_000,
        timeInForce: 'immediate_or_cancel',
        nowMs: T0 + 40_000,
      }),
      order({ accountId: 'alice', side: 'bid', count: 20, priceCc: 6_000, nowMs: T0 + 41_000 }),
      order({
        accountId: 'alice',
        side: 'bid',
        count: 1,
        priceCc: 6_000,
        clientOrderId: 'x',
        nowMs: T0 + 42_000,
      }),
    ];
    for (const cmd of next) expect(restored.placeOrder(cmd)).toEqual(engine.placeOrder(cmd));
    expect(restored.advanceTime(CLOSE)).toEqual(engine.advanceTime(CLOSE));
    expect(restored.snapshot()).toEqual(engine.snapshot());
  });
});
