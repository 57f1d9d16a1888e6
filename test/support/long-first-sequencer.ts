import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Files that run for minutes whatever the machine (the steady-load run holds its rate for
 * RELIABILITY_LOAD_SECONDS) start first, so the other files fill the remaining workers beside
 * them instead of waiting for them at the end. Everything else keeps vitest's own order.
 */
const LONG_RUNNING = ['test/reliability/load.e2e.test.ts'];

export default class LongFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const isLong = (f: TestSpecification) => LONG_RUNNING.some((path) => f.moduleId.endsWith(path));
    return [...sorted.filter(isLong), ...sorted.filter((f) => !isLong(f))];
  }
}
