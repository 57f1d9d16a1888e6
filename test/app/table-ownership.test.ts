import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Every table has one owner: the folder whose entity declares it (@Entity({ name }) in
// src/**/*.entity.ts). Another folder reads or writes it through the owner's index.ts, never with
// its own SQL or repository (README, "How the code is laid out"). dependency-cruiser sees imports,
// not SQL; this reads the SQL strings and the entity uses of every folder.

interface Source {
  file: string;
  text: string;
}

interface Touch {
  file: string;
  line: number;
  table: string;
  how: string;
}

/** The folder a file belongs to: a feature folder of src/, or a part of platform/ or core/. */
function folderOf(file: string): string {
  const parts = file.split('/');
  return ['platform', 'core'].includes(parts[1]!) ? parts.slice(0, 3).join('/') : parts.slice(0, 2).join('/');
}

interface Exception {
  file: string;
  table: string;
  why: string;
}

/**
 * Where another folder may touch a table, each with the reason. Keyed by file and table, not
 * line, so an edit elsewhere in the file does not break it; an entry that matches nothing fails.
 */
const ALLOWED: Exception[] = [
  ...['operators', 'operator_keys'].map((table) => ({
    file: 'src/keys/key-verifier.service.ts',
    table,
    why: 'key verification on the hot path: key, operator or tenant and plan in one read on a cache miss',
  })),
  ...['tenants', 'plans'].map((table) => ({
    file: 'src/keys/tenant-key-principal.ts',
    table,
    why: 'key verification on the hot path (and each session request): key, tenant and plan in one read',
  })),
  ...['tenants', 'plans'].map((table) => ({
    file: 'src/keys/key-holder.ts',
    table,
    why: "a batch key's holder as it is now: the same key → tenant → plan read as verification, once per batch per scheduler pass",
  })),
  {
    file: 'src/keys/api-keys.service.ts',
    table: 'batches',
    why: "a roll moves the running batches to the new key in the roll's transaction; batches/ imports keys/, so keys/ cannot call it",
  },
  {
    file: 'src/usage/settlement-gaps.ts',
    table: 'videos',
    why: 'reconciliation: succeeded videos without a usage record and back, an anti-join that needs both tables in one query',
  },
  ...['src/videos/video-content.service.ts', 'src/files/files.service.ts'].flatMap((file) =>
    ['tenants', 'plans'].map((table) => ({
      file,
      table,
      why: "retention: each tenant's retention days (contract override, else plan) in the one query that picks due rows across all tenants",
    })),
  ),
];

/**
 * Touches not yet moved behind their owner (left for the work named in issue 26 that changes
 * these files: QuotaSubject for a tenant's effective limits, billing's and treasury's reshaping).
 * This list may only shrink: an entry that matches nothing fails like a stale allowance.
 */
const NOT_YET_MOVED: Exception[] = [
  { file: 'src/billing/subscriptions/plan-change-sync.service.ts', table: 'tenants', why: "the tenant's plan and status: TenantsService" },
  ...['src/treasury/allocations.service.ts', 'src/treasury/treasury-reports.service.ts'].map((file) => ({
    file,
    table: 'revenue_entries',
    why: "billing's revenue ledger: RevenueReads",
  })),
];

/** `from x`, `join x`, `into x`, `update x`, `truncate x` in a SQL string. */
const SQL_TABLE = /\b(?:from|join|into|update|truncate(?:\s+table)?)\s+(?:only\s+)?"?([a-z_][a-z0-9_]*)"?/gi;

function sourceTexts(): Source[] {
  return execFileSync('git', ['ls-files', '-co', '--exclude-standard', 'src/*.ts'], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((file) => ({ file, text: readFileSync(file, 'utf8') }));
}

/** Table name → owning folder, and entity class → table, from the @Entity decorators. */
function owners(sources: Source[]): { tableOwner: Map<string, string>; entityTable: Map<string, string> } {
  const tableOwner = new Map<string, string>();
  const entityTable = new Map<string, string>();
  for (const { file, text } of sources.filter((s) => s.file.endsWith('.entity.ts'))) {
    for (const m of text.matchAll(/@Entity\(\{\s*name:\s*'([a-z0-9_]+)'[^)]*\)\s*(?:@[\s\S]*?)?export class (\w+)/g)) {
      tableOwner.set(m[1]!, folderOf(file));
      entityTable.set(m[2]!, m[1]!);
    }
  }
  return { tableOwner, entityTable };
}

/** Every table a file names in SQL or through an entity, with the line. */
function touches(source: Source, tables: Set<string>, entityTable: Map<string, string>): Touch[] {
  const sf = ts.createSourceFile(source.file, source.text, ts.ScriptTarget.Latest, true);
  const found: Touch[] = [];
  const at = (node: ts.Node, table: string, how: string) =>
    found.push({ file: source.file, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, table, how });
  const entityIn = (node: ts.Node): string | undefined => {
    if (ts.isIdentifier(node)) return entityTable.get(node.text);
    // `@ManyToOne(() => Tenant)`, `forFeature([A, B])`
    if (ts.isArrowFunction(node) && ts.isIdentifier(node.body)) return entityTable.get(node.body.text);
    return undefined;
  };
  const visit = (node: ts.Node): void => {
    let sql: string | undefined;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) sql = node.text;
    else if (ts.isTemplateExpression(node)) sql = [node.head.text, ...node.templateSpans.map((s) => `$x ${s.literal.text}`)].join('');
    if (sql !== undefined) {
      for (const m of sql.matchAll(SQL_TABLE)) if (tables.has(m[1]!.toLowerCase())) at(node, m[1]!.toLowerCase(), 'sql');
      // A bare table name handed to a call: `.from('videos', 'v')`, `deleteRows(tx, 'events')` (not a route or tag: `@Get('events')`).
      const call = node.parent;
      if (tables.has(sql) && ts.isCallExpression(call) && call.arguments.includes(node as ts.Expression) && !ts.isDecorator(call.parent))
        at(node, sql, 'table name');
    }
    if (ts.isCallExpression(node)) {
      const callee = node.expression.getText(sf);
      for (const arg of node.arguments) {
        const items = ts.isArrayLiteralExpression(arg) ? [...arg.elements] : [arg];
        for (const item of items) {
          const table = entityIn(item);
          if (table) at(item, table, `${callee}(${item.getText(sf)})`);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/**
 * Touches of a table owned by another folder. The composition root (src/app) registers every
 * entity and runs the migrations; platform's tables (the outbox's `events`) are plumbing every
 * folder builds on, as every folder may import platform.
 */
function violations(sources: Source[]): { touch: Touch; owner: string }[] {
  const { tableOwner, entityTable } = owners(sources);
  return sources
    .filter((s) => !s.file.startsWith('src/app/'))
    .flatMap((s) => touches(s, new Set(tableOwner.keys()), entityTable))
    .map((touch) => ({ touch, owner: tableOwner.get(touch.table)! }))
    .filter(({ touch, owner }) => folderOf(touch.file) !== owner && !owner.startsWith('src/platform/'));
}

const excepted = (touch: Touch) => [...ALLOWED, ...NOT_YET_MOVED].some((a) => a.file === touch.file && a.table === touch.table);

const describeTouch = ({ touch, owner }: { touch: Touch; owner: string }) => `${touch.file}:${touch.line} ${touch.table} (${owner}) by ${touch.how}`;

describe('table ownership', () => {
  const sources = sourceTexts();
  const found = violations(sources);

  it('finds every entity and the tables the source names', () => {
    const { tableOwner } = owners(sources);
    expect(tableOwner.size).toBeGreaterThan(25);
    expect(tableOwner.get('videos')).toBe('src/videos');
    expect(tableOwner.get('events')).toBe('src/platform/outbox');
    expect(tableOwner.get('usage_records')).toBe('src/usage');
  });

  it('no folder touches a table another folder owns, except as allowed', () => {
    expect(found.filter(({ touch }) => !excepted(touch)).map(describeTouch)).toEqual([]);
  });

  it('allows nothing that no longer happens', () => {
    const stale = [...ALLOWED, ...NOT_YET_MOVED].filter((a) => !found.some(({ touch }) => a.file === touch.file && a.table === touch.table));
    expect(stale.map((a) => `${a.file} ${a.table}`)).toEqual([]);
  });

  it('catches raw SQL, query builders and entity uses against another folder', () => {
    const planted: Source = {
      file: 'src/account/zz-probe.ts',
      text: [
        "import { Batch } from '../../batches/index.js';",
        'export class Probe {',
        '  constructor(@InjectRepository(Batch) private readonly batches: Repository<Batch>) {}',
        '  a() { return this.db.query(`select count(*) from videos v join tenants t on t.id = v.tenant_id where v.id = ${1}`); }',
        "  b() { return this.db.createQueryBuilder().select('x').from('usage_records', 'u').getRawMany(); }",
        '  c(tx) { return tx.find(Batch, { where: {} }); }',
        "  d(tx) { return tx.query('INSERT INTO api_keys (id) values ($1)', ['x']); }",
        "  @Get('videos') e() { return this.events.find(EventRecord, {}); }",
        '}',
      ].join('\n'),
    };
    const found = violations([...sources, planted]).filter(({ touch }) => touch.file === planted.file);
    expect(found.map(describeTouch)).toEqual([
      'src/account/zz-probe.ts:3 batches (src/batches) by InjectRepository(Batch)',
      'src/account/zz-probe.ts:4 videos (src/videos) by sql',
      'src/account/zz-probe.ts:4 tenants (src/tenants) by sql',
      'src/account/zz-probe.ts:5 usage_records (src/usage) by table name',
      'src/account/zz-probe.ts:6 batches (src/batches) by tx.find(Batch)',
      'src/account/zz-probe.ts:7 api_keys (src/keys) by sql',
    ]);
  });
});
