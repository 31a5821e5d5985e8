import { describe, it, expect } from 'vitest';
import { Random } from '../market/random.ts';
import { ExchangeEngine } from './engine.ts';
import type { BookSide, PlaceOrderCommand, TimeInForce } from './types.ts';

const T0 = Date.parse('2025-08-03T19:00:00Z');
const CLOSE = T0 + 3_600_000;
const TICKERS = ['M-T1', 'M-T2'];
const ACCOUNTS = ['a', 'b', 'c', 'd'];

function build(): { engine: ExchangeEngine; deposits: number } {
  const engine = new ExchangeEngine({}, T0);
  let deposits = 0;
  for (const [i, accountId] of ACCOUNTS.entries()) {
    const balanceCc = (i + 1) * 150_000; // $15 … $60: small, so balance checks bite
    engine.createAccount({ accountId, balanceCc, nowMs: T0, recordHistory: i !== 3 });
    deposits += balanceCc;
  }
  for (const ticker of TICKERS) {
    engine.createMarket(
      {
        ticker,
        eventTicker: 'E',
        seriesTicker: 'S',
        strike: 100,
        openTime: T0,
        closeTime: CLOSE,
        makerFeeBps: ticker === 'M-T2' ? 175 : 0,
      },
      T0,
    );
  }
  return { engine, deposits };
}

/** Cash + fees collected + $1 escrowed per open contract: constant while no money enters. */
function total(engine: ExchangeEngine): number {
  let sum = 0;
  for (const account of engine.listAccounts()) {
    sum += account.balanceCc;
    for (const p of engine.listPositions(account.accountId)) sum += p.feesPaidCc;
  }
  for (const market of engine.listMarkets()) sum += market.openInterest * 10_000;
  return sum;
}

function randomCommand(
  random: Random,
  nowMs: number,
  engine: ExchangeEngine,
): (e: ExchangeEngine) => unknown {
  const accountId = random.pick(ACCOUNTS);
  const ticker = random.pick(TICKERS);
  const roll = random.next();
  if (roll < 0.15) {
    const ids = engine.restingOrderIds(accountId, ticker);
    if (ids.length > 0) {
      const orderId = random.pick(ids);
      return (e) => e.cancelOrder({ accountId, orderId, nowMs });
    }
  }
  if (roll < 0.2) {
    const ids = engine.restingOrderIds(accountId, ticker);
    if (ids.length > 0) {
      const orderId = random.pick(ids);
      const reduceBy = random.int(1, 3);
      return (e) => e.decreaseOrder({ accountId, orderId, reduceBy, nowMs });
    }
  }
  const cmd: PlaceOrderCommand = {
    accountId,
    ticker,
    side: random.pick<BookSide>(['bid', 'ask']),
    count: random.int(1, 12),
    priceCc: random.int(30, 70) * 100,
    timeInForce: random.pick<TimeInForce>([
      'good_till_canceled',
      'good_till_canceled',
      'immediate_or_cancel',
      'fill_or_kill',
    ]),
    reduceOnly: random.chance(0.2),
    selfTradePrevention: random.chance(0.5) ? 'maker' : 'taker_at_cross',
    nowMs,
  };
  if (cmd.timeInForce === 'good_till_canceled' && random.chance(0.1))
    cmd.expirationTime = nowMs + random.int(1, 60) * 1000;
  if (cmd.timeInForce === 'good_till_canceled' && random.chance(0.1)) cmd.postOnly = true;
  if (random.chance(0.3)) cmd.clientOrderId = `c${random.int(1, 400)}`;
  return (e) => e.placeOrder(cmd);
}

describe('engine under random order flow', () => {
  it('keeps balances ≥ reserved ≥ 0, conserves money and restores to an identical twin', () => {
    const random = Random.seeded('engine-fuzz');
    const { engine, deposits } = build();
    let twin: ExchangeEngine | null = null;
    let errors = 0;
    let fills = 0;
    for (let step = 0; step < 2_500; step++) {
      const nowMs = T0 + 1_000 + step * 500;
      const command = randomCommand(random, nowMs, engine);
      const result = command(engine) as { ok: boolean; events: { type: string }[] };
      if (!result.ok) errors++;
      fills += result.events.filter((e) => e.type === 'fill').length;
      if (twin) expect(command(twin)).toEqual(result);
      engine.checkInvariants();
      for (const balance of engine.listAccounts()) {
        expect(balance.balanceCc).toBeGreaterThanOrEqual(balance.reservedCc);
        expect(balance.reservedCc).toBeGreaterThanOrEqual(0);
      }
      expect(total(engine)).toBe(deposits);
      for (const ticker of TICKERS) {
        const book = engine.getOrderbook(ticker);
        const bestYes = book?.yes.at(-1)?.[0] ?? 0;
        const bestNo = book?.no.at(-1)?.[0] ?? 0;
        expect(bestYes + bestNo).toBeLessThan(10_000); // a resting book never crosses
      }
      if (step === 1_000) twin = ExchangeEngine.restore(JSON.parse(JSON.stringify(engine.snapshot())));
    }
    expect(fills).toBeGreaterThan(600);
    expect(errors).toBeGreaterThan(100);
    // Settle both markets: all escrow goes back as payouts.
    for (const [i, ticker] of TICKERS.entries()) {
      engine.advanceTime(CLOSE);
      expect(
        engine.determineMarket({
          ticker,
          result: i === 0 ? 'yes' : 'no',
          expirationValue: '100.00',
          nowMs: CLOSE + 70_000,
        }).ok,
      ).toBe(true);
      expect(engine.settleMarket({ ticker, nowMs: CLOSE + 200_000 }).ok).toBe(true);
    }
    engine.checkInvariants();
    expect(total(engine)).toBe(deposits);
    expect(engine.listMarkets().every((m) => m.openInterest === 0)).toBe(true);
    expect(engine.snapshot().positions.every((p) => p.position === 0 && p.costBasisCc === 0)).toBe(true);
    expect(twin?.snapshot().accounts).toBeDefined();
  });
});
