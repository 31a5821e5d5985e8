import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SimulatedClock } from '../../core/clock/index.ts';
import { FaultController } from './fault-controller.ts';
import { WsOutbox } from './ws-outbox.ts';

/** A socket stand-in that records what is sent. */
function fakeSocket() {
  const socket = {
    readyState: WebSocket.OPEN as number,
    bufferedAmount: 0,
    sent: [] as string[],
    terminated: false,
    send(text: string) {
      socket.sent.push(text);
      socket.bufferedAmount += text.length;
    },
    terminate() {
      socket.terminated = true;
      socket.readyState = WebSocket.CLOSED;
    },
  };
  return socket;
}

function outbox(faults: FaultController, options: { maxBufferedBytes?: number } = {}) {
  const socket = fakeSocket();
  const clock = new SimulatedClock({ start: 0, rate: 0 });
  const box = new WsOutbox({
    socket: socket as unknown as WebSocket,
    clock,
    target: 'kalshi',
    faults,
    ...options,
  });
  return { socket, clock, box };
}

describe('WsOutbox', () => {
  it('sends at once without faults', () => {
    const { socket, box } = outbox(new FaultController());
    expect(box.data('a', 'orderbook_delta')).toBe('sent');
    box.control('b');
    expect(socket.sent).toEqual(['a', 'b']);
  });

  it('delays every message by the latency and never reorders them, even with jitter', async () => {
    const faults = new FaultController({ initial: { latency: { wsMs: 100, jitterMs: 50 } } });
    const { socket, box, clock } = outbox(faults);
    for (let i = 0; i < 50; i++) box.data(String(i), 'orderbook_delta');
    expect(socket.sent).toEqual([]);
    await clock.advance(99);
    expect(socket.sent).toEqual([]);
    await clock.advance(51);
    expect(socket.sent).toEqual(Array.from({ length: 50 }, (_, i) => String(i)));
    faults.update({ latency: { wsMs: 0, jitterMs: 0 } });
    box.data('now', 'ticker');
    expect(socket.sent.at(-1)).toBe('now');
  });

  it('drops and duplicates data messages but never command replies', () => {
    const faults = new FaultController({
      seed: 'box',
      initial: { ws: { dropShare: 0.5, duplicateShare: 0.5 } },
    });
    const { socket, box } = outbox(faults);
    const outcomes = Array.from({ length: 200 }, (_, i) => box.data(`d${i}`, 'ticker'));
    expect(outcomes).not.toContain('sent');
    const dups = outcomes.filter((o) => o === 'duplicated').length;
    expect(socket.sent).toHaveLength(dups * 2);
    for (let i = 0; i < 100; i++) box.control(`c${i}`);
    expect(socket.sent.filter((t) => t.startsWith('c'))).toHaveLength(100);
  });

  it('cuts off a peer that does not read', () => {
    let cut = 0;
    const socket = fakeSocket();
    const box = new WsOutbox({
      socket: socket as unknown as WebSocket,
      clock: new SimulatedClock({ start: 0, rate: 0 }),
      target: 'coinbase',
      maxBufferedBytes: 10,
      onOverflow: () => cut++,
    });
    box.data('12345', 'ticker');
    expect(socket.terminated).toBe(false);
    box.data('678901', 'ticker');
    expect(socket.terminated).toBe(true);
    expect(cut).toBe(1);
    box.data('late', 'ticker');
    expect(socket.sent).toHaveLength(2);
  });
});
