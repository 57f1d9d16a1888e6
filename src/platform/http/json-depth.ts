/**
 * How deep a JSON body may nest. Our deepest accepted shape (a batch item's metadata inside
 * `items`) is a few levels; V8's JSON.parse takes 100,000, but what walks the value afterwards
 * (validation, idempotency fingerprints) recurses and would run out of stack (500).
 */
export const JSON_MAX_DEPTH = 64;

/** Whether a parsed JSON value nests deeper than `max`; iterative, so a value of any depth is measured without recursing. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}
