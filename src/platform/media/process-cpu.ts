import { readFileSync } from 'node:fs';

// USER_HZ: the unit of /proc/<pid>/stat's CPU times, 100 on every Linux architecture we run on.
const TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system, all threads) a running child has used so far, from /proc/<pid>/stat;
 * undefined where there is no /proc (not Linux) or the process is gone. Read beside a wall-clock
 * limit, it tells a process that worked hard from one that waited for a CPU it never got.
 */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses: the fields are counted after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? (ticks * 1000) / TICKS_PER_SECOND : undefined;
}
