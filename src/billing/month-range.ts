/** A YYYY-MM calendar month in UTC as [start, end): the bookkeeping unit of reconciliation and revenue reports. */
export function monthRange(period: string): { start: Date; end: Date } {
  const start = new Date(`${period}-01T00:00:00Z`);
  return { start, end: new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1)) };
}
