// Page-number paging for HTML lists; the API uses cursors (see api/cursor.ts).
export const PAGE_SIZE = 50;

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pages: number;
  pageSize: number;
}

export function pageNumber(value: unknown): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
}

export function toPage<T extends { total_count?: number }>(rows: T[], page: number, pageSize = PAGE_SIZE): Page<T> {
  const total = rows[0]?.total_count ?? 0;
  return { items: rows, total, page, pages: Math.max(1, Math.ceil(total / pageSize)), pageSize };
}
