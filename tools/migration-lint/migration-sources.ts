import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { MigrationSql } from './rules.js';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * The previous release: the commit recorded in migrations/previous-release.json. A release is a
 * commit that was deployed; cutting one means writing its commit there. Migrations absent from it
 * belong to the release being made, and its code is what still runs while they do.
 */
export function previousRelease(): { commit: string } {
  return JSON.parse(readFileSync(resolve(ROOT, 'migrations/previous-release.json'), 'utf8')) as { commit: string };
}

const git = (args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** The timestamps of the migrations the release at `commit` had. */
export function migrationsAt(commit: string): Set<string> {
  let listing: string;
  try {
    listing = git(['ls-tree', '--name-only', commit, 'migrations/']);
  } catch {
    throw new Error(`the previous release ${commit} is not in this clone: fetch with full history (git fetch --unshallow)`);
  }
  return new Set(
    listing
      .split('\n')
      .map((f) => /^migrations\/(\d{13})-/.exec(f)?.[1])
      .filter((t): t is string => !!t),
  );
}

/** Whether the code of the release at `commit` names `word` (as an entity column, table or in SQL). */
export function namedBy(commit: string): (word: string) => boolean {
  const seen = new Map<string, boolean>();
  return (word) => {
    if (!seen.has(word)) {
      // camelCase properties map to snake_case columns: a column is read if either spelling appears.
      const camel = word.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
      let found = false;
      try {
        git(['grep', '-q', '-w', '-F', '-e', word, '-e', camel, commit, '--', 'src']);
        found = true;
      } catch {
        found = false;
      }
      seen.set(word, found);
    }
    return seen.get(word)!;
  };
}

/** Each migration's SQL, recorded by running its `up` against a query runner that only writes down what it is asked. */
export async function recordMigrations(classes: (new () => MigrationInterface)[], inRelease: (timestamp: string) => boolean): Promise<MigrationSql[]> {
  const out: MigrationSql[] = [];
  const ordered = classes.map((C) => new C()).sort((a, b) => timestampOf(a).localeCompare(timestampOf(b)));
  for (const m of ordered) {
    const statements: string[] = [];
    const recorder = {
      query: async (sql: string) => {
        statements.push(sql);
        return [];
      },
    } as unknown as QueryRunner;
    await m.up(recorder);
    out.push({
      name: m.name ?? m.constructor.name,
      transactional: (m as { transaction?: boolean }).transaction !== false,
      inRelease: inRelease(timestampOf(m)),
      statements,
    });
  }
  return out;
}

function timestampOf(m: MigrationInterface): string {
  const t = /(\d{13})$/.exec(m.name ?? m.constructor.name)?.[1];
  if (!t) throw new Error(`migration ${m.name ?? m.constructor.name} has no 13-digit timestamp at the end of its name`);
  return t;
}
