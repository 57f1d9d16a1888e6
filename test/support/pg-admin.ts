import pg from 'pg';

/** The database global-setup.ts migrates once; `createTestDatabase({ migrated: true })` copies it. */
export const MIGRATED_TEMPLATE = 'leoma_migrated_template';

/** Runs `run` on a connection of its own to `url`, closed afterwards. */
export async function withAdminClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}
