import { describe, expect, it } from 'vitest';
import {
  bookFor,
  emptyBook,
  pagePosition,
  pagerTotal,
  rememberCursor,
} from '../src/features/datastore/page-cursors.ts';

describe('datastore page cursors', () => {
  it('uses the cursor of the previous page when paging forward, an offset otherwise', () => {
    let book = emptyBook('k');
    expect(pagePosition(book, 1, 20)).toEqual({ offset: 0 });
    book = rememberCursor(book, 1, 'c2');
    book = rememberCursor(book, 2, 'c3');
    expect(pagePosition(book, 2, 20)).toEqual({ cursor: 'c2' });
    expect(pagePosition(book, 3, 20)).toEqual({ cursor: 'c3' });
    expect(pagePosition(book, 7, 20)).toEqual({ offset: 120 });
  });

  it('keeps the same object when nothing is new, and forgets cursors when the order changes', () => {
    const book = rememberCursor(emptyBook('k'), 1, 'c2');
    expect(rememberCursor(book, 1, 'c2')).toBe(book);
    expect(rememberCursor(book, 2, null)).toBe(book);
    expect(bookFor(book, 'k')).toBe(book);
    expect(bookFor(book, 'other')).toEqual(emptyBook('other'));
  });

  it('gives the pager a total that always allows the next page while there is more', () => {
    expect(pagerTotal(1000, true, 1, 20, 20, true)).toBe(1000);
    expect(pagerTotal(40, true, 2, 20, 20, true)).toBe(40);
    // An estimate below what was already seen is raised, one above what is left is cut at the last page.
    expect(pagerTotal(30, false, 3, 20, 20, true)).toBe(61);
    expect(pagerTotal(500, false, 2, 20, 7, false)).toBe(27);
    expect(pagerTotal(null, false, 2, 20, 20, true)).toBe(60);
    expect(pagerTotal(null, false, 2, 20, 5, false)).toBe(25);
  });
});
