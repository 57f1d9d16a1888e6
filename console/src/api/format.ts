/** Minor units to a display amount: money is integer cents end to end, formatted only here. */
export function money(amount: number, currency = 'usd'): string {
  return new Intl.NumberFormat('en', { style: 'currency', currency: currency.toUpperCase() }).format(amount / 100);
}

export function when(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC' : '—';
}

export function seconds(n: number): string {
  return `${new Intl.NumberFormat('en', { maximumFractionDigits: 1 }).format(n)} s`;
}
