import { describe, expect, it } from 'vitest';
import { KalshiHttpError } from './errors.ts';
import { encodeCursor, paginate, sortKey } from './pagination.ts';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `id-${String(i).padStart(3, '0')}`);
const self = (s: string) => s;

describe('keyset pagination', () => {
  it('serves every item once, in order, with an empty cursor on the last page', () => {
    const items = ids(7);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = paginate(items, self, { cursor, limit: 3 });
      seen.push(...page.items);
      cursor = page.cursor || undefined;
      pages++;
    } while (cursor);
    expect(seen).toEqual(items);
    expect(pages).toBe(3);
    expect(paginate(items, self, { cursor: undefined, limit: 7 }).cursor).toBe('');
  });

  it('does not repeat or skip items when newer ones arrive at the head of a newest-first list', () => {
    const newestFirst = ids(6).reverse();
    const first = paginate(newestFirst, self, { cursor: undefined, limit: 2, descending: true });
    expect(first.items).toEqual(['id-005', 'id-004']);
    const grown = ['id-007', 'id-006', ...newestFirst];
    const second = paginate(grown, self, { cursor: first.cursor, limit: 2, descending: true });
    expect(second.items).toEqual(['id-003', 'id-002']);
  });

  it('continues after a cursor whose item is gone, and refuses a forged cursor', () => {
    const page = paginate(['a', 'c', 'd'], self, { cursor: encodeCursor('b'), limit: 5 });
    expect(page.items).toEqual(['c', 'd']);
    expect(() => paginate(['a'], self, { cursor: 'not*base64', limit: 1 })).toThrow(KalshiHttpError);
    expect(() => paginate(['a'], self, { cursor: '', limit: 1 })).not.toThrow();
  });

  it('builds sort keys whose text order is numeric order', () => {
    expect(sortKey(99, 'x') < sortKey(100, 'a')).toBe(true);
    expect(sortKey(5, 'a') < sortKey(5, 'b')).toBe(true);
  });
});
