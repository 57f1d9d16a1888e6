/**
 * The provider's own circuit breaker, kept in this process. Unlike the GPU backends' (shared in
 * Redis, because a failed GPU call costs a job) a moderation call is cheap and on the request
 * path: each API process learning on its own after `threshold` failures costs a few slow
 * requests, and needs no Redis round trip on every submit. Open: no calls for `openMs`, then
 * one probe at a time until a call succeeds.
 */
export class ProviderBreaker {
  private failures = 0;
  private openUntil = 0;
  private probing = false;

  constructor(
    private readonly threshold: number,
    private readonly openMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): 'closed' | 'open' | 'half_open' {
    if (this.failures < this.threshold) return 'closed';
    return this.now() < this.openUntil ? 'open' : 'half_open';
  }

  /** Whether a call may go out now; in half-open state only one probe is in flight. */
  admit(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.probing) return false;
    this.probing = true;
    return true;
  }

  success(): void {
    this.failures = 0;
    this.probing = false;
  }

  failure(): void {
    this.failures++;
    this.probing = false;
    if (this.failures >= this.threshold) this.openUntil = this.now() + this.openMs;
  }
}
