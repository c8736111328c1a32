import { ApiError } from '../../catalog/index.ts';
import { parseQuery } from '../../http/body.ts';
import { parseId } from '../../http/ids.ts';
import { r } from '../../http/response-schema.ts';
import { defineRoute, reply } from '../../http/route.ts';
import { acceptBuild, readParts } from './build.ts';
import { repoNameFrom, repoNamePaths } from './paths.ts';
import { MAX_BUILD_BODY_BYTES } from './rules.ts';
import { buildV2Query, createRepositoryBody, listRepositoriesQuery, repositoryCreated, repositoryCreateExample, repositoryDetail, repositoryPage } from './schemas.ts';
import { RepositoryStore, TAG_STATUS, type RepositoryView, type TagView } from './store.ts';

const TAG = 'image repositories';
const MULTIPART = {
  raw: {
    mediaTypes: /^multipart\/form-data(\s*;|\s*$)/i, maxBytes: MAX_BUILD_BODY_BYTES, mediaType: 'multipart/form-data',
    schema: r.object({ docker_file: r.string('the Dockerfile (at most 1 MB); its absence answers 4000002') }),
  },
};
const BUILD_ERRORS = ['MISSING_PARAMETERS', 'INVALID_PARAMETERS', 'INVALID_REQUEST_BODY', 'USER_STATUS_ABNORMAL',
  'IMAGE_STATUS_ABNORMAL', 'IMAGE_QUOTA_INSUFFICIENT', 'TAG_QUOTA_INSUFFICIENT', 'NCE_INTERNAL_SERVER_ERROR'] as const;

/** The documented members, in the documented order; `extra` goes between `tag_count` and the times. */
function repositoryView(r: RepositoryView, userName: string, extra: Record<string, unknown> = {}) {
  return {
    repo_id: r.id, user_name: userName, repo_name: r.repo_name, open_level: r.open_level, base_desc: r.base_desc,
    detail_desc: r.detail_desc, tag_count: r.tag_count, ...extra, created_at: r.created_at, updated_at: r.updated_at,
  };
}

/** `latest` if it built successfully, else the most recently finished successful tag, else null. */
function downloadTag(tags: TagView[]): string | undefined {
  const ok = tags.filter((t) => t.status === TAG_STATUS.succeeded);
  if (ok.some((t) => t.name === 'latest')) return 'latest';
  // `tags` is newest build first; a stable sort keeps that order among equal finishing times.
  return [...ok].sort((a, b) => (b.finished_at ?? '').localeCompare(a.finished_at ?? ''))[0]?.name;
}

const deletePaths = repoNamePaths('/tags/:tag');
const buildPaths = repoNamePaths('/tags/:tag/actions/build');

export const registryRoutes = [
  defineRoute({
    method: 'POST', path: '/api/v1/repositories', operationId: 'createRepository', tag: TAG,
    summary: 'Create an image repository', auth: 'token', mutates: true,
    body: createRepositoryBody,
    errors: ['INVALID_PARAMETERS', 'DUPLICATE_REPOSITORY_NAME', 'IMAGE_QUOTA_INSUFFICIENT', 'NCE_INTERNAL_SERVER_ERROR'],
    success: { status: 200, description: 'the new repository id', ...repositoryCreated },
    bodyExample: repositoryCreateExample,
    async handler({ body, user, services }) {
      const id = await new RepositoryStore(services.store).create(user.id, user.quotas.repositories, {
        repo_name: body.repo_name, open_level: body.open_level, ci_support: body.ci_support,
        base_desc: body.base_desc ?? '', detail_desc: body.detail_desc ?? '',
      }, services.clock.iso());
      return reply.json({ repo_id: id });
    },
  }),
  defineRoute({
    method: 'GET', path: '/api/v1/repositories', operationId: 'listRepositories', tag: TAG,
    summary: 'List the caller’s repositories (paged, most recently updated first)', auth: 'token',
    query: listRepositoriesQuery,
    errors: [],
    success: { status: 200, description: 'a page of the caller\'s repositories', ...repositoryPage },
    async handler({ query, user, services }) {
      const { total, rows } = await new RepositoryStore(services.store).list(user.id, query.limit, query.offset);
      return reply.json({ total, repositories: rows.map((r) => repositoryView(r, user.user_name)) });
    },
  }),
  defineRoute({
    method: 'GET', path: '/api/v1/repositories/:id', operationId: 'getRepository', tag: TAG,
    summary: 'Get a repository with its tags', auth: 'token',
    errors: ['NO_SUCH_REPOSITORY'],
    success: { status: 200, description: 'the repository and its tags', ...repositoryDetail },
    async handler({ params, user, services }) {
      const id = parseId(params.id);
      const found = id === undefined ? undefined : await new RepositoryStore(services.store).get(user.id, id);
      if (!found) throw new ApiError('NO_SUCH_REPOSITORY');
      const { repo, tags } = found;
      const tag = downloadTag(tags);
      return reply.json({
        tags: tags.map((t) => ({ name: t.name, size: t.size, status: t.status })),
        ...repositoryView(repo, user.user_name, {
          download_url: tag === undefined ? null : `${services.config.registryHost}/${user.user_name}/${repo.repo_name}:${tag}`,
        }),
      });
    },
  }),
  defineRoute({
    method: 'DELETE', ...deletePaths, operationId: 'deleteRepositoryTag', tag: TAG,
    summary: 'Delete an image (tag); a multi-level repository name is written as is (a/b/c) or with %2F', auth: 'token', mutates: true,
    errors: ['NO_SUCH_REPOSITORY', 'NO_SUCH_IMAGE', 'IMAGE_STATUS_ABNORMAL', 'NCE_INTERNAL_SERVER_ERROR'],
    success: { status: 200, description: 'deleted (empty body)' },
    async handler({ params, user, services }) {
      await new RepositoryStore(services.store).deleteTag(user.id, repoNameFrom(params), params.tag ?? '', services.clock.iso());
      return reply.empty();
    },
  }),
  defineRoute({
    method: 'POST', ...buildPaths, operationId: 'buildImage', tag: TAG,
    summary: 'Build a tag from an uploaded Dockerfile (multipart field docker_file); creates the repository if needed; a multi-level name is written as is (a/b/c) or with %2F',
    auth: 'token', body: MULTIPART,
    errors: [...BUILD_ERRORS],
    success: { status: 200, description: 'accepted (empty body); the tag goes 0 → 1 → 2 or 3' },
    async handler(ctx) {
      const parts = readParts(ctx);
      await acceptBuild(ctx, parts, repoNameFrom(ctx.params), ctx.params.tag ?? '');
      return reply.empty();
    },
  }),
  defineRoute({
    method: 'POST', path: '/api/v1/repositories/v2/image', operationId: 'buildImageV2', tag: TAG,
    summary: 'Build a tag from an uploaded Dockerfile (query repo_name, tag); creates a private repository if needed',
    auth: 'token', body: MULTIPART,
    errors: [...BUILD_ERRORS],
    success: { status: 200, description: 'accepted (empty body); the tag goes 0 → 1 → 2 or 3' },
    async handler(ctx) {
      const parts = readParts(ctx);
      const url = ctx.req.url ?? '';
      const query = buildV2Query.validate(parseQuery(url.includes('?') ? url.slice(url.indexOf('?') + 1) : ''), { user: ctx.user });
      await acceptBuild(ctx, parts, query.repo_name, query.tag);
      return reply.empty();
    },
  }),
];
