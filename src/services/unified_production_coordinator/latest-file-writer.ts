/**
 * Keeps a JSON file equal to the newest value given, without queueing: while one write is in
 * flight, newer values replace each other and only the newest is written next. At ten tables
 * a second the file trails the bus by at most one write, and a slow disk costs no memory.
 * Each write is atomic (temp file + rename: a reader sees the old file or the new one).
 */
export type JsonWriter = (path: string, value: unknown) => Promise<void>;

export class LatestFileWriter {
  readonly #path: string;
  readonly #write: JsonWriter;
  readonly #onError: (error: unknown) => void;
  #pending: { value: unknown } | undefined;
  #running: Promise<void> | undefined;
  written = 0;
  lastError: string | null = null;

  constructor(path: string, write: JsonWriter, onError: (error: unknown) => void) {
    this.#path = path;
    this.#write = write;
    this.#onError = onError;
  }

  get path(): string {
    return this.#path;
  }

  set(value: unknown): void {
    this.#pending = { value };
    this.#running ??= this.#drain();
  }

  /** Resolves once the newest value given so far is on disk (or failed). */
  async flush(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #drain(): Promise<void> {
    try {
      for (let next = this.#pending; next !== undefined; next = this.#pending) {
        this.#pending = undefined;
        try {
          await this.#write(this.#path, next.value);
          this.written++;
          this.lastError = null;
        } catch (error) {
          this.lastError = error instanceof Error ? error.message : String(error);
          this.#onError(error);
        }
      }
    } finally {
      this.#running = undefined;
    }
  }
}
