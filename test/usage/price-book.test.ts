import { describe, expect, it } from 'vitest';
import { costOf, surchargeMeterEventName } from '../../src/usage/price-book.js';

// One video's cost, as a pure rule: included seconds first, then overage at the rate; test mode is free.
const base = { seconds: 5, usedBefore: 0, included: 100, rate: 4, livemode: true, currency: 'usd' };

describe('costOf', () => {
  it('charges nothing while the included seconds last', () => {
    expect(costOf(base)).toEqual({ amount: 0, currency: 'usd', included_seconds_used: 5, overage_seconds: 0, unit_amount: 4 });
  });

  it('splits a video that crosses the end of the included seconds', () => {
    expect(costOf({ ...base, usedBefore: 98 })).toEqual({ amount: 12, currency: 'usd', included_seconds_used: 2, overage_seconds: 3, unit_amount: 4 });
  });

  it('charges every second as overage once the included seconds are used, or overused', () => {
    expect(costOf({ ...base, usedBefore: 100 }).amount).toBe(20);
    expect(costOf({ ...base, usedBefore: 250 })).toMatchObject({ amount: 20, included_seconds_used: 0, overage_seconds: 5 });
  });

  it('is free and uses nothing in test mode, whatever was used before', () => {
    expect(costOf({ ...base, usedBefore: 1000, livemode: false })).toEqual({
      amount: 0,
      currency: 'usd',
      included_seconds_used: 0,
      overage_seconds: 0,
      unit_amount: 4,
    });
  });

  it('keeps the currency and the applied unit price', () => {
    expect(costOf({ ...base, currency: 'eur', rate: 7, included: 0 })).toEqual({
      amount: 35,
      currency: 'eur',
      included_seconds_used: 0,
      overage_seconds: 5,
      unit_amount: 7,
    });
  });

  it('names the surcharge meter of a resolution after the base meter', () => {
    expect(surchargeMeterEventName('leoma_video_seconds', '720p')).toBe('leoma_video_seconds_720p_overage');
  });
});
