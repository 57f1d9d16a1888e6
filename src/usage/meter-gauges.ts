import { defineSqlGauge } from '../platform/metrics/sql-gauge.js';

/** How far the meter relay is behind: the age of the oldest live usage not yet accepted by Stripe (0 when none waits). */
const relayLag = defineSqlGauge({
  name: 'leoma_stripe_meter_relay_lag_seconds',
  help: 'Age of the oldest live usage record not yet sent to the Stripe meter; 0 when none waits.',
  sql: `select coalesce(extract(epoch from now() - min(created_at)), 0)::float8 as lag from usage_records where livemode and meter_sent_at is null`,
  sample: (row) => ({ value: Number(row.lag) }),
});

/** Usage rows the relay gave up on (METER_MAX_ATTEMPTS): Stripe lacks part of them until an operator acts. */
const relayStuck = defineSqlGauge({
  name: 'leoma_stripe_meter_relay_stuck_rows',
  help: 'Live usage records the meter relay gave up on after METER_MAX_ATTEMPTS; reconciliation names them (meter_event_stuck).',
  sql: `select count(*)::int as n from usage_records where livemode and meter_sent_at is null and meter_gave_up_at is not null`,
  sample: (row) => ({ value: Number(row.n) }),
});

/** The meter outbox's backlog as gauges read at scrape time; billing attaches them where it runs the relay. */
export const meterRelayGauges = [relayLag, relayStuck];
