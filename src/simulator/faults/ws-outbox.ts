/**
 * The outgoing side of one simulated WebSocket connection, where WebSocket faults happen:
 * data messages may be dropped or sent twice (FaultController.wsFate), every message may be
 * delayed (wsDelayMs) — order kept: a message never overtakes an earlier one. Command replies
 * (`control`) are only delayed, never lost: losing them would test the client's command
 * timeout, not its gap handling.
 *
 * A peer that reads too slowly (more than `maxBufferedBytes` waiting in the socket) is cut off,
 * as a real exchange does, instead of letting memory grow.
 */
import WebSocket from 'ws';
import type { Clock, TimerHandle } from '../../core/clock/clock.ts';
import type { FaultController } from './fault-controller.ts';
import type { WsTarget } from './fault-state.ts';

export interface WsOutboxOptions {
  socket: WebSocket;
  clock: Clock;
  target: WsTarget;
  faults?: FaultController;
  /** Default 16 MiB. */
  maxBufferedBytes?: number;
  /** Called once when the peer is cut off for reading too slowly. */
  onOverflow?: (bufferedBytes: number) => void;
}

export type SendOutcome = 'sent' | 'dropped' | 'duplicated';

interface Queued {
  dueMs: number;
  text: string;
}

const DEFAULT_MAX_BUFFERED = 16 * 1024 * 1024;

export class WsOutbox {
  readonly #socket: WebSocket;
  readonly #clock: Clock;
  readonly #target: WsTarget;
  readonly #faults: FaultController | undefined;
  readonly #maxBuffered: number;
  readonly #onOverflow: ((bufferedBytes: number) => void) | undefined;
  readonly #queue: Queued[] = [];
  #head = 0;
  #timer: TimerHandle | undefined;
  #closed = false;

  constructor(options: WsOutboxOptions) {
    this.#socket = options.socket;
    this.#clock = options.clock;
    this.#target = options.target;
    this.#faults = options.faults;
    this.#maxBuffered = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED;
    this.#onOverflow = options.onOverflow;
  }

  /** A command reply or handshake message: delayed by latency faults, never dropped. */
  control(text: string): void {
    this.#enqueue(text);
  }

  /** A data message of `messageType`: subject to drop / duplicate faults, then latency. */
  data(text: string, messageType: string): SendOutcome {
    const fate = this.#faults?.wsFate(this.#target, messageType) ?? 'deliver';
    if (fate === 'drop') return 'dropped';
    this.#enqueue(text);
    if (fate === 'duplicate') {
      this.#enqueue(text);
      return 'duplicated';
    }
    return 'sent';
  }

  /** Messages waiting for their latency to pass. */
  get queued(): number {
    return this.#queue.length - this.#head;
  }

  /** Stops sending (the connection is gone); queued messages are discarded. */
  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) this.#clock.clear(this.#timer);
    this.#timer = undefined;
    this.#queue.length = 0;
    this.#head = 0;
  }

  #enqueue(text: string): void {
    if (this.#closed) return;
    const delay = this.#faults?.wsDelayMs() ?? 0;
    if (delay === 0 && this.queued === 0) {
      this.#write(text);
      return;
    }
    const now = this.#clock.now();
    const last = this.#queue[this.#queue.length - 1];
    // FIFO: a message is never due before the one queued ahead of it
    const dueMs = Math.max(now + delay, last !== undefined && this.queued > 0 ? last.dueMs : 0);
    this.#queue.push({ dueMs, text });
    if (this.#timer === undefined) this.#arm();
  }

  #arm(): void {
    const next = this.#queue[this.#head];
    if (next === undefined) return;
    this.#timer = this.#clock.setTimeout(() => this.#flush(), Math.max(0, next.dueMs - this.#clock.now()));
  }

  #flush(): void {
    this.#timer = undefined;
    const now = this.#clock.now();
    while (this.#head < this.#queue.length) {
      const item = this.#queue[this.#head] as Queued;
      if (item.dueMs > now) break;
      this.#head += 1;
      this.#write(item.text);
      if (this.#closed) return;
    }
    if (this.#head === this.#queue.length) {
      this.#queue.length = 0;
      this.#head = 0;
    } else if (this.#head > 1024) {
      this.#queue.splice(0, this.#head);
      this.#head = 0;
    }
    this.#arm();
  }

  #write(text: string): void {
    const socket = this.#socket;
    if (socket.readyState !== WebSocket.OPEN) return;
    socket.send(text);
    if (socket.bufferedAmount > this.#maxBuffered) {
      const buffered = socket.bufferedAmount;
      this.close();
      socket.terminate();
      this.#onOverflow?.(buffered);
    }
  }
}
