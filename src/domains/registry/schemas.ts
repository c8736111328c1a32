import { r } from '../../http/response-schema.ts';
import { f, schema } from '../../http/schema.ts';
import { REPO_NAME_RE, MAX_REPO_NAME, TAG_RE, fitsWithOwner } from './rules.ts';

/** Registry endpoints belong to service 00: missing 4000002, invalid 4000001. */
const codes = { missing: 'MISSING_PARAMETERS', invalid: 'INVALID_PARAMETERS' } as const;

/** The name rule, and `<user_name>/<repo_name>` ≤ 200 characters with the caller's name (at this field's place). */
const repoName = () => f.string({ max: MAX_REPO_NAME, pattern: REPO_NAME_RE })
  .rule((name, { context }) => context.user === undefined || fitsWithOwner(context.user.user_name, name))
  .describe('levels separated by "/": lower-case letters, digits, "-", "_", "."; <user_name>/<repo_name> ≤ 200 characters');

export const createRepositoryBody = schema({
  repo_name: repoName().required(),
  open_level: f.int({ enum: [0, 1] }).required().describe('0 private, 1 public'),
  base_desc: f.string({ max: 100 }).describe('short description, ≤ 100 characters; absent or null is ""'),
  detail_desc: f.string({ max: 10_000 }).describe('detailed description (Markdown), ≤ 10,000 characters; absent or null is ""'),
  // A CI repository must be private.
  ci_support: f.int({ enum: [0, 1] }).default(0).rule((ci, { values }) => !(ci === 1 && values.open_level === 1))
    .describe('0 no, 1 yes (then open_level must be 0); fixed at creation'),
}, codes);

export const listRepositoriesQuery = schema({
  limit: f.int({ min: 1, max: 30 }).default(20).describe('page size, 0 < limit ≤ 30'),
  offset: f.int({ min: 0 }).default(0).describe('start position, ≥ 0'),
}, codes);

/**
 * Query of the V2 build. Validated by the handler after the multipart body was parsed (core.md §8.2: body
 * syntax before parameters). `amp;tag` is what a client that copied the documentation's `&amp;` sends.
 */
export const buildV2Query = schema({
  repo_name: repoName().required(),
  tag: f.string({ pattern: TAG_RE }).required().alias('amp;tag'),
}, codes);

// ---------------------------------------------------------------------------------------------- answers

const repositoryFields = {
  repo_id: r.int(), user_name: r.string(), repo_name: r.string('may hold "/" for multi-level names'), open_level: r.enum([0, 1], '0 private, 1 public'),
  base_desc: r.string(), detail_desc: r.string(), tag_count: r.int(),
};

const repositoryExample = {
  repo_id: 45433, user_name: 'admin', repo_name: 'mysql', open_level: 0, base_desc: '基本描述', detail_desc: '详细描述', tag_count: 2,
};

export const repositoryCreated = { schema: r.object({ repo_id: r.int() }), example: { repo_id: 58807 } };

export const repositoryCreateExample = { repo_name: 'a/b/c', open_level: 0, base_desc: 'base_desc', detail_desc: 'detail_desc', ci_support: 1 };

export const repositoryPage = {
  schema: r.object({
    total: r.int(),
    repositories: r.array(r.named('Repository', r.object({ ...repositoryFields, created_at: r.dateTime(), updated_at: r.dateTime() }))),
  }),
  example: { total: 1, repositories: [{ ...repositoryExample, created_at: '2016-12-21T02:27:12Z', updated_at: '2016-12-21T02:27:12Z' }] },
};

export const repositoryDetail = {
  schema: r.object({
    tags: r.array(r.object({ name: r.string(), size: r.int('bytes; 0 until known'), status: r.enum([0, 1, 2, 3], '0 initialising, 1 building, 2 succeeded, 3 failed') })),
    ...repositoryFields,
    download_url: r.nullable(r.string('<registry host>/<user>/<repo>:<tag>; null when no tag built')),
    created_at: r.dateTime(), updated_at: r.dateTime(),
  }),
  example: {
    tags: [{ name: 'master20161215042831791', size: 190425418, status: 2 }, { name: 'master20161215034013640', size: 0, status: 2 }],
    ...repositoryExample, download_url: 'hub.c.163.com/admin/mysql:master20161215042831791',
    created_at: '2016-12-15T06:50:20Z', updated_at: '2016-12-15T08:28:44Z',
  },
};
