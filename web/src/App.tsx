import { useEffect, useState } from 'react';
import { HealthIcon } from './components/HealthIcon.tsx';
import { Ladder } from './components/Ladder.tsx';
import {
  countdownClass,
  formatCountdown,
  formatEtHour,
  formatEtTime,
  formatPrice,
  secondsToClose,
} from './lib/format.ts';
import { chooseLayout, NARROW_QUERY, type Layout } from './lib/layout.ts';
import { isStale } from './lib/live-state.ts';
import type { ConnectionState } from './live/live-socket.ts';
import type { SymbolId, TradingMode } from './live/protocol.ts';
import { SYMBOLS, useHealth, useLiveData, useNow, type Received } from './live/use-live.ts';
import type { StrikesPayload } from './live/protocol.ts';

function useStored<T extends string>(key: string, initial: T, allowed: readonly T[]): [T, (v: T) => void] {
  const [value, setValue] = useState<T>(() => {
    const stored = localStorage.getItem(key);
    return (allowed as readonly string[]).includes(stored ?? '') ? (stored as T) : initial;
  });
  return [
    value,
    (v: T) => {
      localStorage.setItem(key, v);
      setValue(v);
    },
  ];
}

function useLayout(): Layout {
  const [narrow, setNarrow] = useState(() => window.matchMedia(NARROW_QUERY).matches);
  useEffect(() => {
    const query = window.matchMedia(NARROW_QUERY);
    const update = () => setNarrow(query.matches);
    query.addEventListener('change', update);
    return () => query.removeEventListener('change', update);
  }, []);
  return chooseLayout(window.location.search, narrow);
}

export function App() {
  const live = useLiveData();
  const health = useHealth();
  const now = useNow();
  const layout = useLayout();
  const [symbol, setSymbol] = useStored<SymbolId>('recio.symbol', 'BTC', SYMBOLS);
  const [quote, setQuote] = useStored<'ask' | 'diff'>('recio.quote', 'ask', ['ask', 'diff']);
  const connected = live.connection.status === 'open';
  const strikes = live.strikes[symbol];

  useEffect(() => {
    const price = live.prices[symbol]?.payload.price;
    document.title = price ? `${formatPrice(price)} ${symbol} · REC.IO` : 'REC.IO';
  }, [live.prices, symbol]);

  return (
    <div className={`app layout-${layout}`}>
      <header className="topbar">
        <div className="brand">REC.IO</div>
        <ModeBadge mode={live.hello?.mode ?? null} />
        <nav className="tabs" role="tablist" aria-label="Symbol">
          {SYMBOLS.map((s) => {
            const price = live.prices[s];
            return (
              <button
                key={s}
                type="button"
                role="tab"
                aria-selected={s === symbol}
                className={`tab${s === symbol ? ' selected' : ''}`}
                data-testid={`tab-${s}`}
                onClick={() => setSymbol(s)}
              >
                <span className="tab-symbol">{s}</span>
                <span
                  className={`tab-price ${price?.payload.momentum.direction ?? ''}${isStale(price?.receivedAtMs ?? null, now, connected) ? ' stale' : ''}`}
                >
                  {formatPrice(price?.payload.price)}
                </span>
              </button>
            );
          })}
        </nav>
        <div className="spacer" />
        <ConnectionIndicator connection={live.connection} now={now} />
        <HealthIcon reading={health} now={now} />
      </header>
      {!connected && <ConnectionBanner connection={live.connection} now={now} />}
      <main>
        {strikes ? (
          <Market
            strikes={strikes}
            now={now}
            connected={connected}
            layout={layout}
            showDiff={quote === 'diff'}
            onToggleDiff={() => setQuote(quote === 'diff' ? 'ask' : 'diff')}
          />
        ) : (
          <div className="waiting" data-testid="waiting">
            {connected
              ? `Waiting for the ${symbol} strike table… (the platform publishes one once it has a model, a price and the hour's markets)`
              : `No ${symbol} strike table: not connected.`}
          </div>
        )}
      </main>
    </div>
  );
}

function ModeBadge({ mode }: { mode: TradingMode | null }) {
  if (!mode) return null;
  const label = mode === 'live' ? 'LIVE · real money' : mode.toUpperCase();
  return (
    <span className={`mode-badge mode-${mode}`} data-testid="mode-badge" title={`Trading mode: ${mode}`}>
      {label}
    </span>
  );
}

function ConnectionIndicator({ connection, now }: { connection: ConnectionState; now: number }) {
  const text =
    connection.status === 'open'
      ? 'live'
      : connection.status === 'connecting'
        ? 'connecting…'
        : `offline · retry ${Math.max(0, Math.ceil((connection.retryAtMs - now) / 1000))} s`;
  return (
    <span
      className={`connection conn-${connection.status}`}
      data-testid="connection"
      data-status={connection.status}
    >
      <span className="dot" aria-hidden="true" />
      {text}
    </span>
  );
}

function ConnectionBanner({ connection, now }: { connection: ConnectionState; now: number }) {
  if (connection.status === 'connecting' && connection.attempt === 0) return null; // the first connect
  const retry =
    connection.status === 'closed'
      ? `reconnecting in ${Math.max(0, Math.ceil((connection.retryAtMs - now) / 1000))} s (${connection.reason})`
      : 'reconnecting…';
  return (
    <div className="banner" role="alert" data-testid="connection-lost">
      Connection lost — the values below are not live. {retry}
    </div>
  );
}

interface MarketProps {
  strikes: Received<StrikesPayload>;
  now: number;
  connected: boolean;
  layout: Layout;
  showDiff: boolean;
  onToggleDiff: () => void;
}

function Market({ strikes, now, connected, layout, showDiff, onToggleDiff }: MarketProps) {
  const { payload, receivedAtMs } = strikes;
  const stale = isStale(receivedAtMs, now, connected);
  const left = secondsToClose(payload.table.ttc_seconds, receivedAtMs, now);
  const age = Math.max(0, Math.round((now - receivedAtMs) / 1000));
  return (
    <section className={`market${stale ? ' stale' : ''}`} data-testid="market" data-stale={stale}>
      <div className="market-head">
        <h1 data-testid="market-title">{payload.table.market_title}</h1>
        <div className={`countdown ${countdownClass(left)}`} data-testid="countdown" title="time to close">
          {formatCountdown(left)}
        </div>
      </div>
      <div className="market-meta">
        <span data-testid="close-time">closes {formatEtHour(payload.closeTimeMs)}</span>
        <span className="sep">·</span>
        <span data-testid="updated-at">updated {formatEtTime(payload.at)}</span>
        <span className="sep">·</span>
        <span data-testid="seq" data-seq={payload.seq}>
          #{payload.seq}
        </span>
        {stale && (
          <span className="stale-label" data-testid="stale-label">
            stale · {connected ? `no update for ${age} s` : 'not connected'}
          </span>
        )}
      </div>
      <div className="market-tools">
        <span className="model" data-testid="model-id" title={`model source: ${payload.model.source}`}>
          model {payload.model.id}
        </span>
        {payload.model.synthetic && (
          <span
            className="badge synthetic"
            data-testid="synthetic-badge"
            title="Built from simulated prices, not market history: probabilities are illustrative"
          >
            SYNTHETIC MODEL
          </span>
        )}
        <span className="spacer" />
        <button
          type="button"
          className={`toggle${showDiff ? ' on' : ''}`}
          aria-pressed={showDiff}
          data-testid="diff-toggle"
          title="Show the diff (model fair value − ask, ¢) instead of the ask"
          onClick={onToggleDiff}
        >
          ±
        </button>
      </div>
      <Ladder strikes={payload} showDiff={showDiff} layout={layout} />
      <p className="legend">
        Quotes in ¢. Prob is the {`active side's`} model probability (YES below the price, NO above); rows by
        it: <span className="key p98">≥ 98</span> <span className="key p95">≥ 95</span>{' '}
        <span className="key p80">≥ 80</span> <span className="key plow">&lt; 80</span>
      </p>
    </section>
  );
}
