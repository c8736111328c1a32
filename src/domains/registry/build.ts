/**
 * Accepting a build (both build endpoints), in the reference's order of checks: multipart syntax
 * (4000403), repository name and tag (4000002 / 4000001), the `docker_file` part (4000002 absent,
 * 4000001 over 1 MB), account state (4030009), then the store: tag state (4030012), quotas (4030007,
 * 4030008). The Dockerfile is judged at acceptance; the tag then moves 0 → 1 → 2/3 on the server clock.
 */
import { ApiError } from '../../catalog/index.ts';
import type { RequestCtx } from '../../http/route.ts';
import { judgeDockerfile } from './dockerfile.ts';
import { parseMultipart } from './multipart.ts';
import { MAX_DOCKERFILE_BYTES, checkRepoNameFor, checkTag } from './rules.ts';
import { RepositoryStore, TAG_STATUS } from './store.ts';

type Ctx = RequestCtx<unknown, unknown>;

/** Step 4 of the precedence: the body must be a complete multipart body (an empty body has no parts). */
export function readParts(ctx: Ctx) {
  const { bytes, contentType } = ctx.raw;
  return bytes.length === 0 ? [] : parseMultipart(bytes, contentType ?? '');
}

export async function acceptBuild(ctx: Ctx, parts: ReturnType<typeof readParts>, repoName: string, tag: string): Promise<void> {
  const { user, services } = ctx;
  checkRepoNameFor(user.user_name, repoName);
  checkTag(tag);
  const file = parts.find((p) => p.name === 'docker_file');
  if (!file) throw new ApiError('MISSING_PARAMETERS', { param: 'docker_file' });
  // A NUL byte is never Dockerfile text (and PostgreSQL text cannot hold it): invalid, like an oversized file.
  if (file.data.length > MAX_DOCKERFILE_BYTES || file.data.includes(0)) throw new ApiError('INVALID_PARAMETERS', { param: 'docker_file' });
  // Checked here rather than by the pipeline so that body and parameter errors keep their precedence.
  if (user.status === 'abnormal') throw new ApiError('USER_STATUS_ABNORMAL');

  const text = file.data.toString('utf8');
  const verdict = judgeDockerfile(text);
  const accepted = services.clock.now();
  const delayMs = Math.max(0, services.config.registryBuildSeconds * 1000);
  await new RepositoryStore(services.store).build(user.id, {
    repositories: user.quotas.repositories, tags: user.quotas.tags_per_repository,
  }, {
    repoName, tag,
    dockerfile: text,
    result: verdict.ok ? TAG_STATUS.succeeded : TAG_STATUS.failed,
    reason: verdict.ok ? '' : verdict.reason,
    acceptedAt: accepted,
    buildingAt: new Date(accepted.getTime() + delayMs / 2),
    finishAt: new Date(accepted.getTime() + delayMs),
  });
  ctx.log.info({ repoName, tag, verdict }, 'image build accepted');
}
