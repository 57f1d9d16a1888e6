import { Gauge } from 'prom-client';
import type { DataSource } from 'typeorm';
import { metricsRegistry } from './registry.js';

type Row = Record<string, unknown>;

/**
 * A gauge read from PostgreSQL at scrape time (a backlog, a count by state): the database holds
 * the truth for every replica, so no process has to keep a counter in step with it. A module
 * attaches its DataSource when it starts; until then the gauge is empty. A failed query leaves
 * the gauge empty for that scrape rather than failing the scrape.
 */
export function defineSqlGauge(cfg: {
  name: string;
  help: string;
  labelNames?: string[];
  sql: string;
  sample(row: Row): { labels?: Record<string, string>; value: number };
}) {
  let db: DataSource | undefined;
  new Gauge({
    name: cfg.name,
    help: cfg.help,
    labelNames: cfg.labelNames ?? [],
    registers: [metricsRegistry],
    async collect() {
      this.reset();
      if (!db?.isInitialized) return;
      const rows = (await db.query(cfg.sql).catch(() => [])) as Row[];
      for (const row of rows) {
        const { labels, value } = cfg.sample(row);
        if (labels) this.set(labels, value);
        else this.set(value);
      }
    },
  });
  return {
    /** Reads from `source` from now on; returns the detach. */
    attach(source: DataSource): () => void {
      db = source;
      return () => {
        if (db === source) db = undefined;
      };
    },
  };
}
