import { PGlite } from '@electric-sql/pglite';
import { Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgliteDialect } from '../../../src/ledger/pgliteDialect.js';

interface Db {
  t: { n: number };
}

describe('pgliteDialect', () => {
  let db: Kysely<Db>;
  beforeAll(async () => {
    db = new Kysely<Db>({ dialect: pgliteDialect(new PGlite()) });
    await sql`create table t (n integer not null)`.execute(db);
  });
  afterAll(() => db.destroy());

  it('runs Kysely queries on PGlite and reports affected rows', async () => {
    const result = await db
      .insertInto('t')
      .values([{ n: 1 }, { n: 2 }])
      .executeTakeFirst();
    expect(result.numInsertedOrUpdatedRows).toBe(2n);
    expect(await db.selectFrom('t').select('n').orderBy('n').execute()).toEqual([{ n: 1 }, { n: 2 }]);
    await db.deleteFrom('t').execute();
  });

  it('runs two transactions one after the other on its one session, never interleaved', async () => {
    const seen: string[] = [];
    const tx = (name: string, n: number) =>
      db.transaction().execute(async (trx) => {
        seen.push(`${name} begin`);
        await trx.insertInto('t').values({ n }).execute();
        await new Promise((resolve) => setImmediate(resolve));
        seen.push(`${name} end`);
      });
    await Promise.all([tx('a', 1), tx('b', 2)]);
    expect(seen).toEqual(['a begin', 'a end', 'b begin', 'b end']);
    expect((await db.selectFrom('t').select('n').orderBy('n').execute()).map((r) => r.n)).toEqual([1, 2]);
    await db.deleteFrom('t').execute();
  });

  it('rolls a failed transaction back and frees the session for the next query', async () => {
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('t').values({ n: 3 }).execute();
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await db.selectFrom('t').select('n').execute()).toEqual([]);
  });

  it('refuses to stream, saying to read in pages', async () => {
    await expect(async () => {
      for await (const _ of db.selectFrom('t').select('n').stream()) void _;
    }).rejects.toThrow('The embedded ledger does not stream query results; read in pages.');
  });
});
