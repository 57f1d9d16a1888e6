import { spawn } from 'node:child_process';
import { processCpuMs } from './process-cpu.js';

export type ProcessFailure = 'spawn_failed' | 'timeout' | 'cpu_limit' | 'aborted' | 'exit' | 'output_too_large';

export class ProcessError extends Error {
  constructor(
    readonly failure: ProcessFailure,
    message: string,
    readonly stderrTail = '',
    /** For `timeout` and `cpu_limit`: the CPU time the child had used when it was stopped (undefined without /proc). */
    readonly cpuMs?: number,
  ) {
    super(stderrTail ? `${message}: ${stderrTail}` : message);
    this.name = 'ProcessError';
  }
}

export interface RunProcessOptions {
  /** Wall-clock limit. */
  timeoutMs: number;
  /**
   * CPU-time limit, checked every CPU_POLL_MS (Linux only). With it a timeout says the child was
   * starved or blocked, not that its work was too much: only this limit measures the work.
   */
  cpuLimitMs?: number;
  maxStdoutBytes: number;
  signal?: AbortSignal;
}

// Only the end of stderr is kept: ffmpeg prints the actual error last, after banners and progress.
const STDERR_TAIL_BYTES = 4096;
const CPU_POLL_MS = 250;

/**
 * Runs a binary without a shell. Settles only after the child has exited, so callers can
 * safely delete the files it was using.
 */
export async function runProcess(command: string, args: string[], opts: RunProcessOptions): Promise<Buffer> {
  return (await runProcessOutput(command, args, opts)).stdout;
}

/** runProcess, also giving the end of what it wrote to stderr (where ffmpeg's filters report, e.g. a loudness measurement). */
export function runProcessOutput(command: string, args: string[], opts: RunProcessOptions): Promise<{ stdout: Buffer; stderrTail: string }> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(new ProcessError('aborted', `${command} aborted before start`));
      return;
    }
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = Buffer.alloc(0);
    let failure: ProcessError | undefined;

    const kill = (error: ProcessError) => {
      failure ??= error;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => {
      const cpuMs = processCpuMs(child.pid);
      kill(new ProcessError('timeout', `${command} exceeded ${opts.timeoutMs} ms (${cpuMs ?? 'unknown'} ms of CPU)`, '', cpuMs));
    }, opts.timeoutMs);
    const { cpuLimitMs } = opts;
    const cpuWatch =
      cpuLimitMs === undefined
        ? undefined
        : setInterval(() => {
            const cpuMs = processCpuMs(child.pid);
            if (cpuMs !== undefined && cpuMs >= cpuLimitMs) kill(new ProcessError('cpu_limit', `${command} used over ${cpuLimitMs} ms of CPU`, '', cpuMs));
          }, CPU_POLL_MS);
    const onAbort = () => kill(new ProcessError('aborted', `${command} aborted`));
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > opts.maxStdoutBytes) {
        kill(new ProcessError('output_too_large', `${command} wrote more than ${opts.maxStdoutBytes} bytes`));
        return;
      }
      stdout.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = Buffer.concat([stderr, chunk]).subarray(-STDERR_TAIL_BYTES);
    });
    child.on('error', (err) => {
      failure ??= new ProcessError('spawn_failed', `${command} could not start (${err.message})`);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearInterval(cpuWatch);
      opts.signal?.removeEventListener('abort', onAbort);
      const tail = stderr.toString('utf8').trim();
      if (failure) reject(new ProcessError(failure.failure, failure.message, tail, failure.cpuMs));
      else if (code !== 0) reject(new ProcessError('exit', `${command} exited with ${code ?? signal}`, tail));
      else resolve({ stdout: Buffer.concat(stdout), stderrTail: tail });
    });
  });
}
