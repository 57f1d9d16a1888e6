/** Cog's statuses; BUSY is derived from the running predictions, the rest are the server's state. */
export type ServerStatus = 'STARTING' | 'READY' | 'SETUP_FAILED' | 'DEFUNCT';
export type StartPhase = 'fetching' | 'loading' | 'warming' | 'ready' | 'failed';

export interface StartProgress {
  phase: StartPhase;
  bytes_done: number;
  bytes_total: number | null;
  detail: string | null;
}

const MAX_LOG_LINES = 200;

/** Where the server is between start-up and serving, as the health answer reports it. */
export class Lifecycle {
  status: ServerStatus = 'STARTING';
  progress: StartProgress = { phase: 'loading', bytes_done: 0, bytes_total: null, detail: null };
  readonly startedAt = new Date().toISOString();
  private completedAt: string | null = null;
  private readonly logLines: string[] = [];
  private defunctReason: string | null = null;

  log(line: string): void {
    this.logLines.push(`${new Date().toISOString()} ${line}`);
    if (this.logLines.length > MAX_LOG_LINES) this.logLines.shift();
  }

  enter(phase: Exclude<StartPhase, 'ready' | 'failed'>, detail: string | null = null): void {
    this.progress = { ...this.progress, phase, detail };
    this.log(`${phase}${detail ? `: ${detail}` : ''}`);
  }

  ready(): void {
    this.status = 'READY';
    this.completedAt = new Date().toISOString();
    this.progress = { ...this.progress, phase: 'ready', detail: null };
    this.log('ready');
  }

  failed(reason: string): void {
    this.status = 'SETUP_FAILED';
    this.completedAt = new Date().toISOString();
    this.progress = { ...this.progress, phase: 'failed', detail: reason };
    this.log(`setup failed: ${reason}`);
  }

  /** The renderer can no longer render (until it recovers); only a READY server goes DEFUNCT. */
  defunct(reason: string): void {
    if (this.status !== 'READY' && this.status !== 'DEFUNCT') return;
    this.status = 'DEFUNCT';
    this.defunctReason = reason;
    this.log(`defunct: ${reason}`);
  }

  recovered(): void {
    if (this.status !== 'DEFUNCT') return;
    this.status = 'READY';
    this.defunctReason = null;
    this.log('recovered');
  }

  /** Why predictions are refused now, or null when the server serves. */
  notServing(): string | null {
    if (this.status === 'READY') return null;
    if (this.status === 'DEFUNCT') return `DEFUNCT: ${this.defunctReason ?? 'renderer unavailable'}; restarting`;
    if (this.status === 'SETUP_FAILED') return `SETUP_FAILED: ${this.progress.detail ?? 'start-up failed'}`;
    return `STARTING (${this.progress.phase})`;
  }

  /** Cog's `setup` object. */
  setup(): { started_at: string; completed_at: string | null; status: 'starting' | 'succeeded' | 'failed'; logs: string } {
    const status = this.status === 'STARTING' ? 'starting' : this.status === 'SETUP_FAILED' ? 'failed' : 'succeeded';
    return { started_at: this.startedAt, completed_at: this.completedAt, status, logs: this.logLines.join('\n') };
  }
}
