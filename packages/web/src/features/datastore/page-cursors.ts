import type { PagePosition } from './records-query.ts';

/**
 * Keyset cursors remembered per page. Paging forward one page at a time uses the cursor the server gave
 * with the previous page, which stays fast deep into a large table; a jump falls back to an offset.
 */
export interface CursorBook {
  /** The order the cursors belong to (see orderKey); another order makes them meaningless. */
  key: string;
  /** Cursor that starts page n (1-based). */
  cursors: Record<number, string>;
}

export function emptyBook(key: string): CursorBook {
  return { key, cursors: {} };
}

/** The same book while the order is unchanged, an empty one once it changed. */
export function bookFor(book: CursorBook, key: string): CursorBook {
  return book.key === key ? book : emptyBook(key);
}

/** Records the cursor the server returned with `page`: it starts page + 1. */
export function rememberCursor(book: CursorBook, page: number, nextCursor: string | null): CursorBook {
  if (nextCursor === null || book.cursors[page + 1] === nextCursor) return book;
  return { ...book, cursors: { ...book.cursors, [page + 1]: nextCursor } };
}

export function pagePosition(book: CursorBook, page: number, pageSize: number): PagePosition {
  const cursor = page > 1 ? book.cursors[page] : undefined;
  return cursor === undefined ? { offset: (page - 1) * pageSize } : { cursor };
}

/**
 * The total the pager works with. An exact total is used as it is; an estimated or unknown one still lets
 * the reader go one page further while the server says there is more.
 */
export function pagerTotal(
  total: number | null,
  exact: boolean,
  page: number,
  pageSize: number,
  shown: number,
  hasMore: boolean,
): number {
  if (total !== null && exact) return total;
  const reached = (page - 1) * pageSize + shown;
  // An estimate can be below what was already seen, or above what is left.
  if (total !== null) return hasMore ? Math.max(total, reached + 1) : reached;
  return reached + (hasMore ? pageSize : 0);
}
