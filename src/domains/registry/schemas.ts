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
