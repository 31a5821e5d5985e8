/** A bare `ws` client that records every message, for protocol-level tests. */
import WebSocket from 'ws';

export class RawWs {
  readonly messages: any[] = [];
  readonly pings: string[] = [];
  readonly socket: WebSocket;
  closed = false;
  #cursor = 0;

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (data) => this.messages.push(JSON.parse(String(data))));
    socket.on('ping', (data) => this.pings.push(String(data)));
    socket.on('close', () => {
      this.closed = true;
    });
  }

  static open(url: string, options: WebSocket.ClientOptions = {}): Promise<RawWs> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, options);
      const raw = new RawWs(socket);
      socket.once('open', () => resolve(raw));
      socket.once('error', reject);
    });
  }

  send(payload: unknown): void {
    this.socket.send(typeof payload === 'string' ? payload : JSON.stringify(payload));
  }

  /** The next message not yet taken (in arrival order), waiting up to `timeoutMs`. */
  async next(timeoutMs = 2_000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages.length <= this.#cursor) {
      if (Date.now() > deadline) throw new Error('no message');
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    return this.messages[this.#cursor++];
  }

  /** Sends a command and returns the next message. */
  async ask(payload: unknown): Promise<any> {
    this.send(payload);
    return this.next();
  }

  /** Messages not taken yet. */
  pending(): any[] {
    return this.messages.slice(this.#cursor);
  }

  skipPending(): void {
    this.#cursor = this.messages.length;
  }

  close(): void {
    this.socket.terminate();
  }
}
