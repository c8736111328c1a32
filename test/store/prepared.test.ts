/** Queries compiled once (src/store/prepared.ts): arguments bound where they belong, plugins still consulted. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isApiError } from '../../src/catalog/index.ts';
import { withDeadline } from '../../src/http/deadline.ts';
import { prepared, preparedInsert } from '../../src/store/prepared.ts';
import { startTestServer, STORES, type TestServer } from '../helpers/server.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const addUser = prepared((db, name: string, createdAt: string) => db.insertInto('users')
  .values({ user_name: name, status: 'normal', balance: 0, certified: 1, quotas: '{}', created_at: createdAt }));
const named = (db: TestServer['services']['store']['db'], prefix: string) => db.selectFrom('users').select('user_name')
  .where('user_name', 'like', `${prefix}%`).orderBy('user_name').execute();

// Listed in another order than the table's columns.
const insertUser = preparedInsert('users', ['quotas', 'user_name', 'created_at', 'balance', 'status'], { returning: ['id', 'user_name'] });
const insertPlainUser = preparedInsert('users', ['user_name', 'status', 'balance', 'certified', 'quotas', 'created_at']);

// The name twice and the arguments in another order than the SQL's: each is bound by what it stands for.
const usersNamed = prepared((db, minId: number, name: string) => db.selectFrom('users').select(['id', 'user_name'])
  .where((eb) => eb.or([eb('user_name', '=', name), eb('user_name', '=', `${name}`)]))
  .where('id', '>=', minId).where('certified', '=', 1));

for (const store of STORES) {
  describe(`prepared queries (${store})`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(store);
      await server.newUser('alice');
      await server.newUser('bob');
    });
    after(() => server.close());

    test('each run binds its own arguments; constants of the query stay', async () => {
      const db = server.services.store.db;
      assert.deepEqual((await usersNamed.all(db, 0, 'bob')).map((u) => u.user_name), ['bob']);
      assert.deepEqual((await usersNamed.all(db, 0, 'alice')).map((u) => u.user_name), ['alice']);
      assert.deepEqual(await usersNamed.all(db, 1_000_000, 'alice'), []);
      assert.equal((await usersNamed.first(db, 0, 'nobody')), undefined);
    });

    test('runs inside a transaction on its connection', async () => {
      await server.services.store.db.transaction().execute(async (tx) => {
        await tx.updateTable('users').set({ certified: 0 }).where('user_name', '=', 'bob').execute();
        assert.deepEqual(await usersNamed.all(tx, 0, 'bob'), []);
        await tx.updateTable('users').set({ certified: 1 }).where('user_name', '=', 'bob').execute();
      });
    });

    test('each: one write per argument list, all stored together, or none when one fails', async () => {
      const db = server.services.store.db;
      await addUser.each(db, [['each-1', '2016-01-01T00:00:00Z'], ['each-2', '2016-01-01T00:00:00Z']]);
      assert.deepEqual((await named(db, 'each-')).map((u) => u.user_name), ['each-1', 'each-2']);
      // The second list repeats a unique name: the first write of the batch is rolled back with it.
      await assert.rejects(addUser.each(db, [['each-3', '2016-01-01T00:00:00Z'], ['each-1', '2016-01-01T00:00:00Z']]));
      assert.deepEqual((await named(db, 'each-')).map((u) => u.user_name), ['each-1', 'each-2']);
      // Inside a transaction it is part of it, and leaves with its rollback.
      await assert.rejects(db.transaction().execute(async (tx) => {
        await addUser.each(tx, [['each-4', '2016-01-01T00:00:00Z']]);
        assert.equal((await named(tx as never, 'each-4')).length, 1);
        throw new Error('roll back');
      }), /roll back/);
      assert.deepEqual((await named(db, 'each-4')), []);
    });

    test('preparedInsert: each run writes its own row object, column by column, and returns what is asked', async () => {
      const db = server.services.store.db;
      const row = { user_name: 'ins-1', status: 'normal', balance: 2.5, quotas: '{"a":1}', created_at: '2016-01-01T00:00:00Z' };
      const [first] = await insertUser.run(db, row);
      const [second] = await insertUser.run(db, { ...row, user_name: 'ins-2', balance: 7 });
      assert.equal(first!.user_name, 'ins-1');
      assert.equal(second!.user_name, 'ins-2');
      assert.ok(Number(second!.id) > Number(first!.id));
      const stored = await db.selectFrom('users').select(['user_name', 'status', 'balance', 'quotas', 'created_at'])
        .where('user_name', 'like', 'ins-%').orderBy('user_name').execute();
      assert.deepEqual(stored, [{ ...row }, { ...row, user_name: 'ins-2', balance: 7 }]);
      // Without `returning` nothing comes back.
      assert.deepEqual(await insertPlainUser.run(db, { ...row, user_name: 'ins-3', certified: 1 }), []);
      // A column left undefined is written as NULL, not left to its default: `certified` (not null, default 1) refuses it.
      await assert.rejects(insertPlainUser.run(db, { ...row, user_name: 'ins-4', certified: undefined as unknown as number }));
      assert.deepEqual((await named(db, 'ins-')).map((u) => u.user_name), ['ins-1', 'ins-2', 'ins-3']);
    });

    test('a builder that computes with an argument instead of binding it is refused', async () => {
      const computed = prepared((db, name: string) => db.selectFrom('users').select('id').where('user_name', '=', name.toUpperCase()));
      await assert.rejects(computed.all(server.services.store.db, 'alice'), /argument 0 is not a parameter/);
    });

    test('past the request deadline a prepared query is refused like any other', async () => {
      const late = async () => {
        await sleep(30);
        return usersNamed.all(server.services.store.db, 0, 'alice');
      };
      await assert.rejects(withDeadline(late, 5, 1000), (err) => isApiError(err) && err.code === 4080001);
    });
  });
}
