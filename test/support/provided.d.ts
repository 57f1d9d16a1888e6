// Connection details of the shared local services started once per run by global-setup.ts,
// read in test files with inject('pgUrl') etc.
declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the shared PostgreSQL server's `postgres` database. */
    pgUrl: string;
    /** e.g. redis://127.0.0.1:6380 */
    redisUrl: string;
    s3: {
      endpoint: string;
      accessKeyId: string;
      secretAccessKey: string;
    };
    /** Where test/support/shared-build.ts compiles the production build, once per run. */
    buildDir: string;
    /** Port of the run's PgBouncer under TEST_DATABASE_VIA=pgbouncer (pgbouncer-setup.ts); absent otherwise. */
    pgBouncerPort?: number;
  }
}

export {};
