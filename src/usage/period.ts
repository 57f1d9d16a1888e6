/** The billing period, the calendar month in UTC as [start, end), named by its id YYYY-MM: what quotas, spend alerts, usage reports, reconciliation and revenue count in. */
export interface Period {
  id: string;
  start: Date;
  end: Date;
}

/** The period the instant `now` falls in. */
export function currentPeriod(now = new Date()): Period {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return { id: start.toISOString().slice(0, 7), start, end };
}

/** The period named YYYY-MM (input already validated as such). */
export function monthRange(period: string): Period {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return { id: period, start: new Date(Date.UTC(y, m - 1, 1)), end: new Date(Date.UTC(y, m, 1)) };
}
