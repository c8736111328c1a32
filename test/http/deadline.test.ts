/** The handler deadline (src/http/deadline.ts): what is answered, and that a late request cannot touch the store. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { isApiError } from '../../src/catalog/index.ts';
import { RequestDeadlinePlugin, withDeadline } from '../../src/http/deadline.ts';
import { openStore, type Store } from '../../src/store/db.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const timedOut = (err: unknown) => isApiError(err) && err.code === 4080001;

describe('handler deadline', () => {
  let dir: string;
  let store: Store;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'opencomb-deadline-'));
    store = await openStore(undefined, dir);
    store.db = store.db.withPlugin(new RequestDeadlinePlugin());
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('work that finishes in time answers normally, and its failures pass through', async () => {
    assert.equal(await withDeadline(async () => 'done', 1000), 'done');
    await assert.rejects(withDeadline(async () => { throw new Error('boom'); }, 1000), /boom/);
  });

  test('after the deadline the request’s store queries are refused, so its transaction rolls back', async () => {
    const work = async () => {
      await sleep(30); // past the deadline
      await store.db.insertInto('users').values({ user_name: 'late', status: 'normal', balance: 0, certified: 1, quotas: '{}', created_at: '2016-03-29T09:01:52Z' }).execute();
      return 'stored';
    };
    await assert.rejects(withDeadline(work, 5, 1000), timedOut);
    assert.equal(await store.db.selectFrom('users').select('id').where('user_name', '=', 'late').executeTakeFirst(), undefined);
    // Queries outside any request (and of other requests) are not affected.
    assert.ok(Array.isArray(await store.db.selectFrom('users').select('id').execute()));
  });

  test('work already past its last query that completes within the grace answers its real result', async () => {
    assert.equal(await withDeadline(async () => { await sleep(30); return 'late but complete'; }, 5, 1000), 'late but complete');
  });

  test('work that never settles answers 4080001 when the grace is over', async () => {
    await assert.rejects(withDeadline(() => new Promise<never>(() => undefined), 5, 20), timedOut);
  });
});
