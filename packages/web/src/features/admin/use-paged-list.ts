import { useState } from 'react';

export const PAGE_SIZE = 20;

/** Page, page size and search text for a server-paged table; a new search returns to page 1. */
export function usePagedList() {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(PAGE_SIZE);
  const [q, setQ] = useState('');
  return {
    page,
    pageSize,
    q,
    params: { offset: (page - 1) * pageSize, limit: pageSize, q },
    search: (text: string) => {
      setQ(text.trim());
      setPage(1);
    },
    change: (nextPage: number, nextSize: number) => {
      setPage(nextSize === pageSize ? nextPage : 1);
      setPageSize(nextSize);
    },
  };
}
