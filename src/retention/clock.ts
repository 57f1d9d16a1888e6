/**
 * The time the retention sweep treats as now. Injected so tests (and an operator replaying a
 * missed window) move time instead of waiting for it.
 */
export abstract class Clock {
  abstract now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
