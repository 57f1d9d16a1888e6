import { loadModule, parseSync } from 'libpg-query';

/** What the linter needs to know about one migration: its name, its SQL in order, and whether it runs in a transaction. */
export interface MigrationSql {
  name: string;
  /** The migration's `transaction` property: false for CONCURRENTLY work. */
  transactional: boolean;
  /** Part of the release being made (absent from the previous release). */
  inRelease: boolean;
  statements: string[];
}

export type Rule =
  | 'index-not-concurrent'
  | 'concurrent-in-transaction'
  | 'not-null-same-release'
  | 'not-null-without-default'
  | 'drop-or-rename-read-by-previous-release'
  | 'long-lock'
  | 'unparsable';

export interface Finding {
  migration: string;
  rule: Rule;
  /** The table (and column) concerned, for the message and the baseline. */
  subject: string;
  message: string;
}

export interface LintContext {
  /** True when the previous release's code names this table or column (an entity maps it, a query reads it). */
  readByPreviousRelease(name: string): boolean;
}

type Node = Record<string, any>;

const key = (table: string, column?: string) => (column ? `${table}.${column}` : table);

/**
 * Checks migrations, oldest first, against the expand/contract rule (docs/migrations.md) with the
 * real PostgreSQL parser (libpg-query, the server's own grammar compiled to WebAssembly). A table
 * counts as existing when a migration of an earlier release created it: those have rows and old
 * pods reading them while the migration runs. Tables created in this release may be changed freely.
 */
export async function lintMigrations(migrations: MigrationSql[], ctx: LintContext): Promise<Finding[]> {
  await loadModule();
  const findings: Finding[] = [];
  /** Tables created by this release's migrations, and columns added by them. */
  const newTables = new Set<string>();
  const newColumns = new Set<string>();
  /** CHECK (col IS NOT NULL) constraints validated so far, so a later SET NOT NULL needs no table scan. */
  const provenNotNull = new Set<string>();
  const notValidChecks = new Map<string, string>();

  for (const m of migrations) {
    // Whatever a migration creates is new to it, whichever release it belongs to.
    const localTables = new Set<string>();
    const localColumns = new Set<string>();
    const flag = (rule: Rule, subject: string, message: string) => findings.push({ migration: m.name, rule, subject, message });
    for (const sql of m.statements) {
      let parsed: { stmts?: { stmt: Node }[] };
      try {
        parsed = parseSync(sql) as unknown as { stmts?: { stmt: Node }[] };
      } catch (e) {
        flag('unparsable', sql.slice(0, 60), `PostgreSQL's parser refused it: ${(e as Error).message}`);
        continue;
      }
      for (const { stmt } of parsed.stmts ?? []) {
        const [kind, body] = Object.entries(stmt)[0] as [string, Node];
        const existing = (table: string) => !newTables.has(table) && !localTables.has(table);
        switch (kind) {
          case 'CreateStmt': {
            const table = body.relation.relname as string;
            localTables.add(table);
            if (m.inRelease) newTables.add(table);
            break;
          }
          case 'IndexStmt': {
            const table = body.relation.relname as string;
            if (!body.concurrent && existing(table))
              flag('index-not-concurrent', table, `CREATE INDEX on existing table ${table} without CONCURRENTLY blocks its writes while it builds`);
            if (body.concurrent && m.transactional) flag('concurrent-in-transaction', table, 'CONCURRENTLY needs the migration to set transaction = false');
            break;
          }
          case 'ReindexStmt':
            if (!(body.params ?? []).some((p: Node) => p.DefElem?.defname === 'concurrently'))
              flag('long-lock', body.relation?.relname ?? '', 'REINDEX without CONCURRENTLY locks the table');
            break;
          case 'ClusterStmt':
          case 'LockStmt':
            flag('long-lock', body.relation?.relname ?? '', `${kind === 'LockStmt' ? 'LOCK TABLE' : 'CLUSTER'} holds an exclusive lock`);
            break;
          case 'VacuumStmt':
            if ((body.options ?? []).some((o: Node) => o.DefElem?.defname === 'full'))
              flag('long-lock', '', 'VACUUM FULL rewrites the table under an exclusive lock');
            break;
          case 'RefreshMatViewStmt':
            if (!body.concurrent) flag('long-lock', body.relation.relname, 'REFRESH MATERIALIZED VIEW without CONCURRENTLY blocks its readers');
            break;
          case 'RenameStmt': {
            const table = body.relation?.relname as string | undefined;
            if (!table || !existing(table)) break;
            if (body.renameType === 'OBJECT_COLUMN' && ctx.readByPreviousRelease(body.subname))
              flag('drop-or-rename-read-by-previous-release', key(table, body.subname), `the previous release still reads ${table}.${body.subname}`);
            if (body.renameType === 'OBJECT_TABLE' && ctx.readByPreviousRelease(table))
              flag('drop-or-rename-read-by-previous-release', table, `the previous release still reads table ${table}`);
            break;
          }
          case 'DropStmt':
            if (body.removeType === 'OBJECT_TABLE')
              for (const o of body.objects ?? []) {
                const names = (o.List?.items ?? []).map((i: Node) => i.String?.sval as string);
                const table = names.at(-1)!;
                if (existing(table) && ctx.readByPreviousRelease(table))
                  flag('drop-or-rename-read-by-previous-release', table, `the previous release still reads table ${table}`);
              }
            break;
          case 'AlterTableStmt': {
            const table = body.relation.relname as string;
            for (const c of body.cmds ?? []) {
              const cmd = c.AlterTableCmd as Node;
              switch (cmd.subtype) {
                case 'AT_AddColumn': {
                  const col = cmd.def.ColumnDef as Node;
                  const constraints = (col.constraints ?? []).map((x: Node) => x.Constraint?.contype as string);
                  localColumns.add(key(table, col.colname));
                  if (m.inRelease) newColumns.add(key(table, col.colname));
                  if (existing(table) && constraints.includes('CONSTR_NOTNULL') && !constraints.includes('CONSTR_DEFAULT'))
                    flag(
                      'not-null-without-default',
                      key(table, col.colname),
                      `${table}.${col.colname} is added NOT NULL without a default: the previous release's inserts leave it out and fail`,
                    );
                  break;
                }
                case 'AT_SetNotNull': {
                  const column = key(table, cmd.name);
                  if ((newColumns.has(column) || localColumns.has(column)) && existing(table))
                    flag(
                      'not-null-same-release',
                      column,
                      `${column} is added in this release: make it NOT NULL in a later one, once no running release inserts without it`,
                    );
                  else if (existing(table) && !provenNotNull.has(column))
                    flag(
                      'long-lock',
                      column,
                      `SET NOT NULL on ${column} scans the table under an exclusive lock: add CHECK (${cmd.name} IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL`,
                    );
                  break;
                }
                case 'AT_DropColumn':
                  if (existing(table) && ctx.readByPreviousRelease(cmd.name))
                    flag('drop-or-rename-read-by-previous-release', key(table, cmd.name), `the previous release still reads ${table}.${cmd.name}`);
                  break;
                case 'AT_AlterColumnType':
                  if (existing(table))
                    flag('long-lock', key(table, cmd.name), `changing the type of ${table}.${cmd.name} rewrites the table under an exclusive lock`);
                  break;
                case 'AT_AddConstraint': {
                  const con = cmd.def.Constraint as Node;
                  if (!existing(table)) break;
                  if ((con.contype === 'CONSTR_FOREIGN' || con.contype === 'CONSTR_CHECK') && !con.skip_validation)
                    flag(
                      'long-lock',
                      table,
                      `${con.conname ?? 'a constraint'} on ${table} is checked against every row under lock: add it NOT VALID, then VALIDATE CONSTRAINT`,
                    );
                  if ((con.contype === 'CONSTR_UNIQUE' || con.contype === 'CONSTR_PRIMARY') && !con.indexname)
                    flag(
                      'long-lock',
                      table,
                      `${con.conname ?? 'a key'} on ${table} builds its index under lock: build it CONCURRENTLY, then ADD CONSTRAINT … USING INDEX`,
                    );
                  const column = notNullCheckColumn(con);
                  if (con.contype === 'CONSTR_CHECK' && column) notValidChecks.set(`${table}/${con.conname}`, key(table, column));
                  break;
                }
                case 'AT_ValidateConstraint': {
                  const column = notValidChecks.get(`${table}/${cmd.name}`);
                  if (column) provenNotNull.add(column);
                  break;
                }
              }
            }
            break;
          }
        }
      }
    }
  }
  return findings;
}

/** The column of a `CHECK (col IS NOT NULL)`, or null for any other constraint. */
function notNullCheckColumn(con: Node): string | null {
  const test = con.raw_expr?.NullTest as Node | undefined;
  if (!test || test.nulltesttype !== 'IS_NOT_NULL') return null;
  const fields = (test.arg?.ColumnRef?.fields ?? []) as Node[];
  return (fields.at(-1)?.String?.sval as string | undefined) ?? null;
}
