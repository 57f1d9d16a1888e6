/**
 * Which mode's rows a read covers. A tenant's key sees its own mode only (`true` live, `false`
 * test); `BOTH_MODES` is for the few reads that truly span the two (operators' exports), and is
 * said at the call rather than implied by a missing argument.
 */
export const BOTH_MODES = 'both';
export type ModeScope = boolean | typeof BOTH_MODES;
