/**
 * Cursor pagination as Kalshi does it: an opaque `cursor` per page, empty on the last one.
 * Keyset, not offsets: the cursor is the sort key of the last item served, so items added at
 * the head of a newest-first list between two pages are never served twice or skipped.
 */
import { invalidParameters } from './errors.ts';

export interface Page<T> {
  items: T[];
  cursor: string;
}

/**
 * One page of `items`, which must be sorted by `keyOf` — ascending, or descending when
 * `descending` — with unique keys.
 */
export function paginate<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  options: { cursor: string | undefined; limit: number; descending?: boolean },
): Page<T> {
  const after = options.cursor ? decodeCursor(options.cursor) : undefined;
  const beyond = (key: string) => after === undefined || (options.descending ? key < after : key > after);
  const start = after === undefined ? 0 : items.findIndex((item) => beyond(keyOf(item)));
  if (start === -1) return { items: [], cursor: '' };
  const page = items.slice(start, start + options.limit);
  const more = start + options.limit < items.length;
  const last = page[page.length - 1];
  return { items: page, cursor: more && last !== undefined ? encodeCursor(keyOf(last)) : '' };
}

export function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) throw invalidParameters('invalid cursor');
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (key.length === 0 || encodeCursor(key) !== cursor) throw invalidParameters('invalid cursor');
  return key;
}

/** A sort key from numbers (fixed width, so text order = numeric order) and text parts. */
export function sortKey(...parts: Array<number | string>): string {
  return parts
    .map((part) =>
      typeof part === 'number' ? String(Math.max(0, Math.floor(part))).padStart(16, '0') : part,
    )
    .join('|');
}
