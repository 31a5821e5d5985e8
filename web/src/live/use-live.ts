/**
 * React hooks over the live data: the one WebSocket (strike tables and prices of both symbols),
 * a 1-second clock for countdowns and staleness, and main_app's health.
 */
import { useEffect, useState } from 'react';
import type { HealthReading } from '../lib/health.ts';
import { LiveSocket, type ConnectionState, type HelloMessage, type SocketLike } from './live-socket.ts';
import type { PlatformHealth, PricePayload, ServiceStatus, StrikesPayload, SymbolId } from './protocol.ts';

export const SYMBOLS: readonly SymbolId[] = ['BTC', 'ETH'];

export interface Received<T> {
  payload: T;
  receivedAtMs: number;
}

export interface LiveData {
  connection: ConnectionState;
  hello: HelloMessage | null;
  strikes: Partial<Record<SymbolId, Received<StrikesPayload>>>;
  prices: Partial<Record<SymbolId, Received<PricePayload>>>;
}

const TOPICS = SYMBOLS.flatMap((s) => [`strikes.${s.toLowerCase()}`, `price.${s.toLowerCase()}`]);

function socketUrl(): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${window.location.host}/ws`;
}

function symbolOf(topic: string): SymbolId | undefined {
  const symbol = topic.slice(topic.indexOf('.') + 1).toUpperCase();
  return (SYMBOLS as readonly string[]).includes(symbol) ? (symbol as SymbolId) : undefined;
}

export function useLiveData(): LiveData {
  const [data, setData] = useState<LiveData>({
    connection: { status: 'connecting', attempt: 0 },
    hello: null,
    strikes: {},
    prices: {},
  });

  useEffect(() => {
    const live = new LiveSocket({
      url: socketUrl(),
      createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
      onState: (connection) => setData((d) => ({ ...d, connection })),
      onHello: (hello) => setData((d) => ({ ...d, hello })),
      onMessage: (topic, payload) => {
        const symbol = symbolOf(topic);
        if (!symbol) return;
        const receivedAtMs = Date.now();
        if (topic.startsWith('strikes.')) {
          setData((d) => ({
            ...d,
            strikes: { ...d.strikes, [symbol]: { payload: payload as StrikesPayload, receivedAtMs } },
          }));
        } else if (topic.startsWith('price.')) {
          setData((d) => ({
            ...d,
            prices: { ...d.prices, [symbol]: { payload: payload as PricePayload, receivedAtMs } },
          }));
        }
      },
      onServerError: (error) => console.warn(`[recio] the server refused a request: ${error}`),
    });
    live.subscribe(TOPICS);
    live.start();
    return () => live.stop();
  }, []);

  return data;
}

/** The browser's time, refreshed every `intervalMs`. */
export function useNow(intervalMs = 1_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { cache: 'no-store', signal: AbortSignal.timeout(4_000) });
  // /health answers 503 with its body when the platform is down: that is an answer too.
  if (!response.ok && response.status !== 503) throw new Error(`${path}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

/** main_app's /health, every `intervalMs`. */
export function useHealth(intervalMs = 5_000): HealthReading {
  const [reading, setReading] = useState<HealthReading>({ health: null, receivedAtMs: null });
  useEffect(() => {
    let live = true;
    const poll = () =>
      getJson<PlatformHealth>('/health').then(
        (health) => live && setReading({ health, receivedAtMs: Date.now() }),
        () => live && setReading((r) => ({ ...r, health: null })),
      );
    void poll();
    const timer = setInterval(() => void poll(), intervalMs);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [intervalMs]);
  return reading;
}

export interface ServicesReading {
  services: ServiceStatus[] | null;
  error: string | null;
}

/** /api/system/services while `enabled` (the list is open), every `intervalMs`. */
export function useServices(enabled: boolean, intervalMs = 5_000): ServicesReading {
  const [reading, setReading] = useState<ServicesReading>({ services: null, error: null });
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    const poll = () =>
      getJson<{ services: ServiceStatus[] }>('/api/system/services').then(
        (body) => live && setReading({ services: body.services, error: null }),
        (error: Error) => live && setReading((r) => ({ ...r, error: error.message })),
      );
    void poll();
    const timer = setInterval(() => void poll(), intervalMs);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [enabled, intervalMs]);
  return reading;
}
