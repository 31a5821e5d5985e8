/**
 * Kalshi WebSocket client throughput: how many orderbook_delta messages per second the client
 * sustains end to end (socket read, JSON parse, zod model, seq check, book update, `book` event),
 * fed over loopback by a server in a worker thread (so the sender does not share the client's
 * core). Also the parse-only rate (parseKalshiWsMessage on prepared strings) for comparison.
 * Run: node --import tsx bench/integrations-ws.ts
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { RealClock } from '../src/core/clock/index.ts';
import { KalshiWsClient } from '../src/integrations/kalshi/ws-client.ts';
import { parseKalshiWsMessage } from '../src/integrations/kalshi/models.ts';

const MESSAGES = 200_000;
const TICKER = 'KXBTCD-25AUG0316-T114749.99';

/** Plain JS (eval worker): a one-subscription Kalshi server that blasts deltas after the snapshot. */
const SERVER = `
const { parentPort, workerData } = require('node:worker_threads');
const { WebSocketServer } = require(workerData.wsPath);
const { count, ticker } = workerData;
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/trade-api/ws/v2' });
wss.on('listening', () => parentPort.postMessage({ port: wss.address().port }));
wss.on('connection', (socket) => {
  socket.on('message', (data) => {
    const { id } = JSON.parse(data.toString());
    socket.send(JSON.stringify({ id, type: 'subscribed', msg: { channel: 'orderbook_delta', sid: 1 } }));
    const levels = [];
    for (let c = 1; c <= 99; c++) levels.push([(c / 100).toFixed(4), '100.00']);
    socket.send(JSON.stringify({ type: 'orderbook_snapshot', sid: 1, seq: 1, msg: { market_ticker: ticker, yes_dollars_fp: levels, no_dollars_fp: levels } }));
    let seq = 1;
    const sendBatch = () => {
      // respect back-pressure: wait while the socket buffer is full
      while (seq <= count && socket.bufferedAmount < 4 * 1024 * 1024) {
        seq++;
        const i = seq;
        const cents = 1 + (i % 99);
        const delta = (i >> 1) % 2 === 0 ? '5.00' : '-5.00';
        socket.send('{"type":"orderbook_delta","sid":1,"seq":' + i + ',"msg":{"market_ticker":"' + ticker + '","price":' + cents + ',"price_dollars":"' + (cents / 100).toFixed(4) + '","delta":' + Number(delta) + ',"delta_fp":"' + delta + '","side":"' + (i % 2 ? 'yes' : 'no') + '"}}');
      }
      if (seq <= count) setImmediate(sendBatch);
    };
    sendBatch();
  });
});
`;

async function endToEnd(): Promise<void> {
  const wsPath = createRequire(import.meta.url).resolve('ws');
  const worker = new Worker(SERVER, {
    eval: true,
    workerData: { count: MESSAGES + 1, ticker: TICKER, wsPath },
  });
  const port = await new Promise<number>((resolve) =>
    worker.once('message', (m: { port: number }) => resolve(m.port)),
  );
  const client = new KalshiWsClient({
    url: `ws://127.0.0.1:${port}/trade-api/ws/v2`,
    clock: new RealClock(),
  });
  let deltas = 0;
  let firstAt = 0;
  const done = new Promise<void>((resolve) => {
    client.on('book', (event) => {
      if (event.cause !== 'delta') return;
      if (deltas === 0) firstAt = performance.now();
      deltas += 1;
      if (deltas === MESSAGES) resolve();
    });
  });
  await client.start();
  await client.subscribe({ channel: 'orderbook_delta', marketTickers: [TICKER] });
  const timeout = setTimeout(() => {
    console.error(`timed out after ${deltas} deltas`);
    process.exit(1);
  }, 120_000);
  await done;
  clearTimeout(timeout);
  const seconds = (performance.now() - firstAt) / 1000;
  const stats = client.stats();
  console.log(
    `end to end: ${MESSAGES.toLocaleString('en-US')} deltas in ${seconds.toFixed(2)} s = ${Math.round(MESSAGES / seconds).toLocaleString('en-US')} msg/s ` +
      `(gaps ${stats.gaps}, duplicates ${stats.duplicates}, resyncs ${stats.resyncs}; top ${JSON.stringify(client.book(TICKER)?.top().yesBid)})`,
  );
  await client.close();
  await worker.terminate();
}

function parseOnly(): void {
  const texts: string[] = [];
  for (let i = 0; i < 100_000; i++) {
    const cents = 1 + (i % 99);
    texts.push(
      JSON.stringify({
        type: 'orderbook_delta',
        sid: 1,
        seq: i + 2,
        msg: {
          market_ticker: TICKER,
          price: cents,
          price_dollars: (cents / 100).toFixed(4),
          delta: 5,
          delta_fp: '5.00',
          side: 'yes',
        },
      }),
    );
  }
  for (const text of texts.slice(0, 10_000)) parseKalshiWsMessage(JSON.parse(text)); // warm-up
  const start = performance.now();
  for (const text of texts) parseKalshiWsMessage(JSON.parse(text));
  const seconds = (performance.now() - start) / 1000;
  console.log(
    `parse only (JSON.parse + zod model): ${Math.round(texts.length / seconds).toLocaleString('en-US')} msg/s`,
  );
}

parseOnly();
await endToEnd();
