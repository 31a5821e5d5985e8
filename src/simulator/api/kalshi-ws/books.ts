/**
 * The WebSocket server's own order books, kept from the `orderbook_delta` events it delivers:
 * a snapshot taken from them is, by construction, the sum of every delta sent before it, so
 * snapshot + following deltas always add up — even when the engine has moved on ahead of the
 * delivered events (the runtime publishes a batch only once it is durable).
 */
import type { CentiCents, Contracts } from '../../../domain/units.ts';
import type { EngineEvent, OrderbookView, OutcomeSide } from '../../engine/types.ts';

type Level = [priceCc: CentiCents, count: Contracts];

interface Book {
  yes: Map<CentiCents, Contracts>;
  no: Map<CentiCents, Contracts>;
}

export class ShadowBooks {
  readonly #books = new Map<string, Book>();

  /** Replaces a market's book by the engine's view of it. */
  seed(view: OrderbookView): void {
    this.#books.set(view.ticker, { yes: new Map(view.yes), no: new Map(view.no) });
  }

  has(ticker: string): boolean {
    return this.#books.has(ticker);
  }

  delete(ticker: string): void {
    this.#books.delete(ticker);
  }

  get size(): number {
    return this.#books.size;
  }

  /** Applies one delta; false when it does not fit the book (a level would go negative). */
  apply(event: Extract<EngineEvent, { type: 'orderbook_delta' }>): boolean {
    let book = this.#books.get(event.ticker);
    if (book === undefined) {
      book = { yes: new Map(), no: new Map() };
      this.#books.set(event.ticker, book);
    }
    const side = book[event.side];
    const next = (side.get(event.priceCc) ?? 0) + event.delta;
    if (next < 0 || !Number.isSafeInteger(next)) return false;
    if (next === 0) side.delete(event.priceCc);
    else side.set(event.priceCc, next);
    return true;
  }

  /** Bids of both legs, ascending by price (best last), as Kalshi lists them. */
  levels(ticker: string): { yes: Level[]; no: Level[] } {
    const book = this.#books.get(ticker);
    return { yes: sorted(book, 'yes'), no: sorted(book, 'no') };
  }
}

function sorted(book: Book | undefined, side: OutcomeSide): Level[] {
  if (book === undefined) return [];
  return [...book[side]].sort((a, b) => a[0] - b[0]);
}
