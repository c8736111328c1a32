/**
 * Repositories and tags of one user. `repo_name` is unique per user and a tag name per repository by
 * database constraints; every write runs in one transaction under the user's lock, so quota counts, name
 * checks and inserts cannot interleave, and a refused request changes nothing.
 */
import { sql } from 'kysely';
import { ApiError } from '../../catalog/index.ts';
import { formatIso } from '../../clock.ts';
import type { Store, Tx } from '../../store/db.ts';
import { inUserTransaction } from '../../store/transaction.ts';
import type { RepositoriesTable } from '../../store/tables/registry.ts';

export type RepositoryRow = Omit<RepositoriesTable, 'id'> & { id: number };

export interface RepositoryView extends RepositoryRow {
  tag_count: number;
}

export interface TagView {
  name: string;
  size: number;
  status: number;
  finished_at: string | null;
}

export interface NewRepository {
  repo_name: string;
  open_level: number;
  ci_support: number;
  base_desc: string;
  detail_desc: string;
}

export interface BuildRequest {
  repoName: string;
  tag: string;
  dockerfile: string;
  result: 2 | 3;
  reason: string;
  /** Millisecond ISO times: acceptance, 0 → 1, 1 → 2/3. */
  acceptedAt: Date;
  buildingAt: Date;
  finishAt: Date;
}

export const TAG_STATUS = { initializing: 0, building: 1, succeeded: 2, failed: 3 } as const;

export class RepositoryStore {
  constructor(private readonly store: Store) {}

  async create(userId: number, quota: number, repo: NewRepository, now: string): Promise<number> {
    return inUserTransaction(this.store, userId, async (tx) => {
      if (await findByName(tx, userId, repo.repo_name)) throw new ApiError('DUPLICATE_REPOSITORY_NAME');
      if ((await countRepositories(tx, userId)) >= quota) throw new ApiError('IMAGE_QUOTA_INSUFFICIENT');
      const row = await tx.insertInto('repositories').values({ user_id: userId, ...repo, created_at: now, updated_at: now })
        .returning('id').executeTakeFirstOrThrow();
      return row.id;
    }, 'DUPLICATE_REPOSITORY_NAME');
  }

  async list(userId: number, limit: number, offset: number): Promise<{ total: number; rows: RepositoryView[] }> {
    const { db } = this.store;
    const total = await countRepositories(db, userId);
    const rows = await db.selectFrom('repositories').selectAll('repositories').select(tagCount)
      .where('user_id', '=', userId).orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute();
    return { total, rows: rows.map(view) };
  }

  async get(userId: number, id: number): Promise<{ repo: RepositoryView; tags: TagView[] } | undefined> {
    const { db } = this.store;
    const repo = await db.selectFrom('repositories').selectAll('repositories').select(tagCount)
      .where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
    if (!repo) return undefined;
    const tags = await db.selectFrom('repository_tags').select(['name', 'size', 'status', 'finished_at'])
      .where('repo_id', '=', id).orderBy('accepted_at', 'desc').orderBy('id', 'desc').execute();
    return { repo: view(repo), tags: tags.map((t) => ({ ...t, size: Number(t.size) })) };
  }

  /** Deletes a settled tag: 4040004 no repository, 4040129 no tag, 4030012 tag still initializing or building. */
  async deleteTag(userId: number, repoName: string, tag: string, now: string): Promise<void> {
    await inUserTransaction(this.store, userId, async (tx) => {
      const repo = await findByName(tx, userId, repoName);
      if (!repo) throw new ApiError('NO_SUCH_REPOSITORY');
      const row = await tx.selectFrom('repository_tags').select(['id', 'status']).where('repo_id', '=', repo.id).where('name', '=', tag).executeTakeFirst();
      if (!row) throw new ApiError('NO_SUCH_IMAGE');
      if (row.status < TAG_STATUS.succeeded) throw new ApiError('IMAGE_STATUS_ABNORMAL');
      await tx.deleteFrom('repository_tags').where('id', '=', row.id).execute();
      await tx.updateTable('repositories').set({ updated_at: now }).where('id', '=', repo.id).execute();
    });
  }

  /**
   * Accepts a build: creates the repository if needed (private, no CI; 4030007 over the quota), then
   * creates or resets the tag to status 0 (4030012 while it builds; 4030008 for a new tag over the quota).
   */
  async build(userId: number, quotas: { repositories: number; tags: number }, req: BuildRequest): Promise<void> {
    const now = formatIso(req.acceptedAt);
    const times = {
      status: TAG_STATUS.initializing, size: 0, result: req.result, result_reason: req.reason, dockerfile: req.dockerfile,
      accepted_at: req.acceptedAt.toISOString(), building_at: req.buildingAt.toISOString(), finish_at: req.finishAt.toISOString(), finished_at: null,
    };
    await inUserTransaction(this.store, userId, async (tx) => {
      let repo = await findByName(tx, userId, req.repoName);
      if (!repo) {
        if ((await countRepositories(tx, userId)) >= quotas.repositories) throw new ApiError('IMAGE_QUOTA_INSUFFICIENT');
        repo = await tx.insertInto('repositories').values({
          user_id: userId, repo_name: req.repoName, open_level: 0, ci_support: 0, base_desc: '', detail_desc: '', created_at: now, updated_at: now,
        }).returningAll().executeTakeFirstOrThrow();
      }
      const existing = await tx.selectFrom('repository_tags').select(['id', 'status']).where('repo_id', '=', repo.id).where('name', '=', req.tag).executeTakeFirst();
      if (existing) {
        if (existing.status < TAG_STATUS.succeeded) throw new ApiError('IMAGE_STATUS_ABNORMAL');
        await tx.updateTable('repository_tags').set(times).where('id', '=', existing.id).execute();
      } else {
        const { count } = await tx.selectFrom('repository_tags').select((eb) => eb.fn.countAll<string | number>().as('count')).where('repo_id', '=', repo.id).executeTakeFirstOrThrow();
        if (Number(count) >= quotas.tags) throw new ApiError('TAG_QUOTA_INSUFFICIENT');
        await tx.insertInto('repository_tags').values({ repo_id: repo.id, name: req.tag, created_at: now, ...times }).execute();
      }
      await tx.updateTable('repositories').set({ updated_at: now }).where('id', '=', repo.id).execute();
    });
  }

  /**
   * Moves every build whose time has come: 0 → 1 at `building_at`, → 2/3 at `finish_at` (straight to the
   * end if both have passed). The repository's `updated_at` becomes the finishing time.
   */
  async settle(now: Date): Promise<number> {
    const { db } = this.store;
    const at = now.toISOString();
    const due = await db.selectFrom('repository_tags').select(['id', 'repo_id', 'status', 'result', 'building_at', 'finish_at'])
      .where((eb) => eb.or([
        eb.and([eb('status', '=', TAG_STATUS.initializing), eb('building_at', '<=', at)]),
        eb.and([eb('status', '=', TAG_STATUS.building), eb('finish_at', '<=', at)]),
      ])).orderBy('id').execute();
    for (const tag of due) {
      await db.transaction().execute(async (tx) => {
        if (tag.finish_at > at) {
          await tx.updateTable('repository_tags').set({ status: TAG_STATUS.building }).where('id', '=', tag.id).where('status', '=', tag.status).execute();
          return;
        }
        const finished = formatIso(new Date(tag.finish_at));
        const r = await tx.updateTable('repository_tags').set({ status: tag.result, finished_at: finished })
          .where('id', '=', tag.id).where('status', '=', tag.status).executeTakeFirst();
        if (r.numUpdatedRows === 0n) return;
        await tx.updateTable('repositories').set({ updated_at: finished }).where('id', '=', tag.repo_id).where('updated_at', '<', finished).execute();
      });
    }
    return due.length;
  }

  /** A repository of one user (public ones only if `publicOnly`) and the status of its `tag` (null: no such tag). */
  findTag(owner: { id: number } | { name: string }, repoName: string, tag: string, publicOnly: boolean): Promise<{ repo_id: number; status: number | null } | undefined> {
    let q = this.store.db.selectFrom('repositories as r').innerJoin('users as u', 'u.id', 'r.user_id')
      .leftJoin('repository_tags as t', (j) => j.onRef('t.repo_id', '=', 'r.id').on('t.name', '=', tag))
      .select(['r.id as repo_id', 't.status as status']).where('r.repo_name', '=', repoName);
    q = 'id' in owner ? q.where('u.id', '=', owner.id) : q.where('u.user_name', '=', owner.name);
    if (publicOnly) q = q.where('r.open_level', '=', 1);
    return q.executeTakeFirst();
  }

  /** The user's tags in `status`, newest repository first, then newest accepted. */
  tagsWithStatus(userId: number, status: number): Promise<Array<{ repo_id: number; repo_name: string; tag: string }>> {
    return this.store.db.selectFrom('repository_tags as t').innerJoin('repositories as r', 'r.id', 't.repo_id')
      .select(['r.id as repo_id', 'r.repo_name', 't.name as tag'])
      .where('r.user_id', '=', userId).where('t.status', '=', status)
      .orderBy('r.id', 'desc').orderBy('t.accepted_at', 'desc').orderBy('t.id', 'desc').execute();
  }
}

function findByName(tx: Tx | Store['db'], userId: number, repoName: string): Promise<RepositoryRow | undefined> {
  return tx.selectFrom('repositories').selectAll().where('user_id', '=', userId).where('repo_name', '=', repoName).executeTakeFirst();
}

async function countRepositories(tx: Tx | Store['db'], userId: number): Promise<number> {
  const { count } = await tx.selectFrom('repositories').select((eb) => eb.fn.countAll<string | number>().as('count')).where('user_id', '=', userId).executeTakeFirstOrThrow();
  return Number(count);
}

const tagCount = sql<string | number>`(select count(*) from repository_tags t where t.repo_id = repositories.id)`.as('tag_count');

function view<R extends RepositoryRow & { tag_count: string | number }>(row: R): RepositoryView {
  return { ...row, tag_count: Number(row.tag_count) };
}
