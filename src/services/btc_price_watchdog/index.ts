/**
 * btc_price_watchdog (8002): the settlement reference for BTC and ETH. Tracks the index, keeps
 * the running 60-s average of each hour's last minute (the value Kalshi settles on) and
 * publishes `index.<sym>` with every print; alerts on `alerts.btc_price_watchdog` when index
 * and spot diverge beyond the configured threshold.
 *
 * Index source: Kalshi's CF Benchmarks channel is entitlement-gated and not offered by the
 * simulator, so the reference is spot — the 1-s prices of `price.<sym>` — and the message says
 * so (`source: 'spot'`, divergence null). IndexTracker takes `cfbenchmarks` prints unchanged
 * once a feed for them exists; divergence and its alarm then apply.
 *
 * Wiring only: the rules are SettlementAverageTracker and DivergenceAlarm (src/domain/market-data).
 */
import { Gauge } from 'prom-client';
import { marketDataTopic, type PriceMessage } from '../../core/bus/market-data-topics.ts';
import type { ServiceContext, ServiceDefinition } from '../../core/service/service.ts';
import type { DivergenceEvent, SettlementResult } from '../../domain/market-data/index.ts';
import { SYMBOLS, parseSymbol, type SymbolId } from '../../domain/units.ts';
import { IndexTracker } from './index-tracker.ts';

const FINALIZE_EVERY_MS = 250;
const MAX_PRINT_AGE_MS = 10_000;

export const btcPriceWatchdog: ServiceDefinition = {
  name: 'btc_price_watchdog',
  dependsOn: ['symbol_price_watchdog_btc', 'symbol_price_watchdog_eth'],
  start: startIndexWatchdog,
};

async function startIndexWatchdog(ctx: ServiceContext) {
  const { clock, log, config } = ctx;
  const startedAt = clock.now();
  const trackers = new Map<SymbolId, IndexTracker>(
    SYMBOLS.map((s) => [
      s,
      new IndexTracker(s, {
        raiseBps: config.marketData.divergenceAlertBps,
        clearBps: config.marketData.divergenceClearBps,
      }),
    ]),
  );
  const seqs = new Map<SymbolId, number>();

  const publish = async (tracker: IndexTracker) => {
    const message = tracker.message();
    if (message === undefined) return;
    const seq = (seqs.get(tracker.symbol) ?? 0) + 1;
    seqs.set(tracker.symbol, seq);
    await ctx.bus.publish(marketDataTopic('index', tracker.symbol), { ...message, seq, at: clock.now() });
  };

  const onFinalized = (symbol: SymbolId, result: SettlementResult) => {
    const v = result.value;
    log.info(
      {
        symbol,
        closeTimeMs: result.closeTimeMs,
        status: v.status,
        prints: v.printCount,
        ...(v.status === 'ok' ? { value: v.displayDollars } : {}),
      },
      'settlement window closed',
    );
  };

  const onDivergence = async (symbol: SymbolId, event: DivergenceEvent) => {
    const raised = event.kind === 'raised';
    await ctx.bus.publish('alerts.btc_price_watchdog', {
      severity: raised ? 'warning' : 'info',
      source: ctx.name,
      message: raised
        ? `${symbol} spot diverges from the index by ${event.bps.toFixed(1)} bps`
        : `${symbol} spot back within ${config.marketData.divergenceClearBps} bps of the index (peak ${event.peakBps.toFixed(1)} bps)`,
      at: clock.now(),
      dedupeKey: `divergence.${symbol.toLowerCase()}`,
    });
  };

  await ctx.subscribe('price.*', async (topic, payload) => {
    const symbol = parseSymbol(topic.slice('price.'.length));
    const tracker = symbol && trackers.get(symbol);
    if (!tracker) return;
    const price = payload as PriceMessage;
    tracker.setSpot(price.price, price.secondMs);
    if (tracker.source !== 'spot') return;
    const result = tracker.addPrint(price.price, price.secondMs, clock.now());
    if (result.late) return;
    for (const finalized of result.finalized) onFinalized(tracker.symbol, finalized);
    if (result.divergence) await onDivergence(tracker.symbol, result.divergence);
    await publish(tracker);
  });

  // A window also closes without a later print (a dead feed): finalize it on time.
  ctx.every('finalize', FINALIZE_EVERY_MS, async () => {
    for (const tracker of trackers.values()) {
      const result = tracker.finalizeDue(clock.now());
      if (result === undefined) continue;
      onFinalized(tracker.symbol, result);
      await publish(tracker);
    }
  });

  for (const tracker of trackers.values()) {
    const key = tracker.symbol.toLowerCase();
    ctx.health.add({
      name: `index ${key}`,
      critical: true,
      check: () => {
        const message = tracker.message();
        const data = {
          source: tracker.source,
          value: message?.value ?? null,
          valueAtMs: message?.valueAtMs ?? null,
          secondsCovered: message?.secondsCovered ?? null,
          runningAverage: message?.runningAverage ?? null,
          lastSettlement: message?.lastSettlement ?? null,
          divergenceAlarm: tracker.alarmState,
        };
        const last = tracker.lastPrintAt;
        if (last === undefined) {
          const waited = clock.now() - startedAt;
          return { ok: waited <= MAX_PRINT_AGE_MS, detail: `no ${key} print yet`, data };
        }
        const age = clock.now() - last;
        return {
          ok: age <= MAX_PRINT_AGE_MS,
          detail: `${key} ${tracker.source} print ${(age / 1000).toFixed(1)} s ago`,
          data: { ...data, printAgeMs: age },
        };
      },
    });
  }

  new Gauge({
    name: 'recio_index_print_age_seconds',
    help: 'Age of the newest index print',
    labelNames: ['symbol'],
    registers: [ctx.metrics],
    collect() {
      for (const t of trackers.values()) {
        if (t.lastPrintAt !== undefined) this.set({ symbol: t.symbol }, (clock.now() - t.lastPrintAt) / 1000);
      }
    },
  });
  new Gauge({
    name: 'recio_index_seconds_covered',
    help: 'Seconds of the current settlement window with a print',
    labelNames: ['symbol'],
    registers: [ctx.metrics],
    collect() {
      for (const t of trackers.values()) {
        const m = t.message();
        if (m) this.set({ symbol: t.symbol }, m.secondsCovered);
      }
    },
  });
}
