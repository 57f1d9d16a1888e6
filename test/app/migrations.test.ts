import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/isolation.js';
import { schemaDrift } from '../../src/app/database/schema-drift.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

describe('migrations', () => {
  it('bring an empty database exactly to the entities (migration:generate would write nothing)', async () => {
    const { up } = await schemaDrift(db.url);
    expect(up, 'entities and migrations disagree: run `npm run migration:generate -- <Name>`, review and commit it').toEqual([]);
  });
});
