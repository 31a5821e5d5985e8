/**
 * btc_price_watchdog (8002): the settlement reference for BTC and ETH. Tracks the index, keeps
 * the running 60-s average of each hour's last minute (the value Kalshi settles on) and
 * publishes `index.<sym>` with every print; alerts on `alerts.btc_price_watchdog` when index
 * and spot diverge beyond the configured threshold.
 *
 * Index source: Kalshi's `cfbenchmarks_value` WebSocket channel (the simulator serves the very
 * prints it settles on) while it delivers — `source: 'cfbenchmarks'`, divergence and its alarm
 * apply. The channel is entitlement-gated at Kalshi: refused, or silent for FALLBACK_AFTER_MS,
 * the reference falls back to spot — the 1-s prices of `price.<sym>` (`source: 'spot'`,
 * divergence null) — and returns to the index with its next print. A window that spans a switch
 * mixes both; an index print replaces the spot print of its second.
 *
 * Wiring only: the rules are SettlementAverageTracker and DivergenceAlarm (src/domain/market-data).
 */
import { Gauge } from 'prom-client';
import { exchangeEndpoints } from '../../core/config/endpoints.ts';
import { marketDataTopic, type PriceMessage } from '../../core/bus/market-data-topics.ts';
import type { ServiceContext, ServiceDefinition } from '../../core/service/service.ts';
import type { DivergenceEvent, SettlementResult } from '../../domain/market-data/index.ts';
import { SYMBOLS, parseSymbol, type SymbolId } from '../../domain/units.ts';
import { KalshiWsClient, KalshiWsCommandError, type KalshiSigner } from '../../integrations/kalshi/index.ts';
import { signerFromConfig } from '../kalshi_api_watchdog/credentials.ts';
import { IndexTracker, type PrintResult } from './index-tracker.ts';

const FINALIZE_EVERY_MS = 250;
const MAX_PRINT_AGE_MS = 10_000;
/** No index print for this long: spot becomes the reference (the index prints at ~1 Hz). */
const FALLBACK_AFTER_MS = 5_000;

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

  const onPrint = async (tracker: IndexTracker, result: PrintResult) => {
    if (result.late) return;
    for (const finalized of result.finalized) onFinalized(tracker.symbol, finalized);
    if (result.divergence) await onDivergence(tracker.symbol, result.divergence);
    await publish(tracker);
  };

  await ctx.subscribe('price.*', async (topic, payload) => {
    const symbol = parseSymbol(topic.slice('price.'.length));
    const tracker = symbol && trackers.get(symbol);
    if (!tracker) return;
    const price = payload as PriceMessage;
    tracker.setSpot(price.price, price.secondMs);
    if (tracker.source !== 'spot') return;
    await onPrint(tracker, tracker.addPrint(price.price, price.secondMs, clock.now()));
  });

  // The settlement index itself, from Kalshi's WebSocket (public in the simulator; signed
  // when a key is at hand, since Kalshi gates the channel).
  const lastIndexAt = new Map<SymbolId, number>();
  const ws = new KalshiWsClient({
    url: exchangeEndpoints(config, ctx.manifest).kalshiWsUrl,
    clock,
    signer: optionalSigner(ctx),
  });
  ws.on('cfbenchmarksValue', (print) => {
    const tracker = print.symbol && trackers.get(print.symbol);
    if (!tracker) return;
    lastIndexAt.set(tracker.symbol, clock.now());
    if (tracker.source !== 'cfbenchmarks') {
      tracker.setSource('cfbenchmarks');
      log.info({ symbol: tracker.symbol, index: print.index }, 'index source: CF Benchmarks');
    }
    void onPrint(tracker, tracker.addPrint(print.value, print.timeMs, clock.now())).catch((error: unknown) =>
      log.warn({ err: error }, 'index print not published'),
    );
  });
  ws.start().catch((error: unknown) => {
    if (!ctx.signal.aborted) log.warn({ err: error }, 'kalshi websocket start interrupted');
  });
  ws.subscribe({ channel: 'cfbenchmarks_value' }).catch((error: unknown) => {
    if (ctx.signal.aborted) return;
    const refused = error instanceof KalshiWsCommandError;
    log.info(
      { err: error },
      refused ? 'no CF Benchmarks channel: spot stays the index' : 'index subscription failed',
    );
  });

  // A window also closes without a later print (a dead feed): finalize it on time.
  ctx.every('finalize', FINALIZE_EVERY_MS, async () => {
    for (const tracker of trackers.values()) {
      const last = lastIndexAt.get(tracker.symbol);
      if (
        tracker.source === 'cfbenchmarks' &&
        (last === undefined || clock.now() - last > FALLBACK_AFTER_MS)
      ) {
        tracker.setSource('spot');
        log.warn({ symbol: tracker.symbol }, 'index feed silent: spot is the reference');
      }
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

  return {
    async stop() {
      await ws.close();
    },
  };
}

/** The key kalshi_api_watchdog signs with, when one is configured; none is needed in paper mode. */
function optionalSigner(ctx: ServiceContext): KalshiSigner | undefined {
  try {
    return signerFromConfig(ctx.config, ctx.clock);
  } catch (error) {
    ctx.log.info({ err: error }, 'no Kalshi key: the index channel is tried unsigned');
    return undefined;
  }
}
