/**
 * Matching-engine throughput: random V2 orders (60 % GTC, 30 % IOC, 10 % FOK) from 20 accounts
 * on 10 markets, prices around 50¢, with cancels. Prints orders/s and fills/s.
 * Run: node --import tsx bench/sim-engine.ts [orders]
 */
import { ExchangeEngine } from '../src/simulator/engine/engine.ts';
import type { BookSide, TimeInForce } from '../src/simulator/engine/types.ts';
import { Random } from '../src/simulator/market/random.ts';

const ORDERS = Number(process.argv[2] ?? 300_000);
const T0 = Date.parse('2025-08-03T19:00:00Z');
const MARKETS = Array.from({ length: 10 }, (_, i) => `KXBTCD-25AUG0316-T${114_000 + i * 250 - 1}.99`);
const ACCOUNTS = Array.from({ length: 20 }, (_, i) => `acct-${i}`);

const engine = new ExchangeEngine({}, T0);
for (const accountId of ACCOUNTS) {
  engine.createAccount({
    accountId,
    balanceCc: 1_000_000_000_000,
    nowMs: T0,
    recordHistory: accountId < 'acct-2',
  });
}
for (const ticker of MARKETS) {
  engine.createMarket(
    {
      ticker,
      eventTicker: 'KXBTCD-25AUG0316',
      seriesTicker: 'KXBTCD',
      strike: 114_000,
      openTime: T0,
      closeTime: T0 + 3_600_000,
    },
    T0,
  );
}

const random = Random.seeded('bench');
const tifs: TimeInForce[] = [
  'good_till_canceled',
  'good_till_canceled',
  'good_till_canceled',
  'good_till_canceled',
  'good_till_canceled',
  'good_till_canceled',
  'immediate_or_cancel',
  'immediate_or_cancel',
  'immediate_or_cancel',
  'fill_or_kill',
];
// Pre-draw the commands so the timing measures the engine only.
const commands = Array.from({ length: ORDERS }, (_, i) => ({
  accountId: random.pick(ACCOUNTS),
  ticker: random.pick(MARKETS),
  side: random.pick<BookSide>(['bid', 'ask']),
  count: random.int(1, 50),
  priceCc: random.int(40, 60) * 100,
  timeInForce: random.pick(tifs),
  nowMs: T0 + 1_000 + Math.floor(i / 100),
  cancel: random.chance(0.2),
}));

let fills = 0;
let rejected = 0;
let cancels = 0;
const started = process.hrtime.bigint();
for (const cmd of commands) {
  if (cmd.cancel) {
    const ids = engine.restingOrderIds(cmd.accountId, cmd.ticker);
    const orderId = ids[0];
    if (orderId) {
      engine.cancelOrder({ accountId: cmd.accountId, orderId, nowMs: cmd.nowMs });
      cancels++;
      continue;
    }
  }
  const result = engine.placeOrder(cmd);
  if (!result.ok) rejected++;
  else fills += result.value.fills.length;
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const placed = ORDERS - cancels;
console.log(`engine: ${placed} orders + ${cancels} cancels in ${seconds.toFixed(2)} s`);
console.log(`  orders/s      ${Math.round(placed / seconds)}`);
console.log(`  commands/s    ${Math.round(ORDERS / seconds)}`);
console.log(
  `  taker fills/s ${Math.round(fills / seconds)} (${fills} fills, ${rejected} rejected FOK/other)`,
);
const depth = MARKETS.map((t) => engine.getOrderbook(t)).reduce(
  (s, b) => s + (b?.yes.length ?? 0) + (b?.no.length ?? 0),
  0,
);
console.log(`  book levels at end ${depth}`);
