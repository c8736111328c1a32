/**
 * ImageLookup (domains/contracts.ts): how other domains resolve an `image_path` and list a user's images,
 * per microservices.md §2.8 and §3.4. Read-only.
 */
import { ApiError } from '../../catalog/index.ts';
import type { ImageLookup, Owner, ResolvedImage } from '../contracts.ts';
import type { Config } from '../../config.ts';
import type { Store } from '../../store/db.ts';
import { LIBRARY_OWNER, PUBLIC_OWNER, findPublicRepository, publicImages } from './public-images.ts';
import { RepositoryStore, TAG_STATUS } from './store.ts';

const SUCCEEDED = TAG_STATUS.succeeded;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The documented address syntax, with this server's registry host. */
export function imagePathPattern(registryHost: string): RegExp {
  return new RegExp(`^${escapeRegExp(registryHost)}/([a-z0-9][a-z0-9._-]*)((?:/[a-z0-9][a-z0-9._-]*)+)(?::([A-Za-z0-9_][A-Za-z0-9._-]{0,127}))?$`);
}

export function createImageLookup({ store, config }: { store: Store; config: Config }): ImageLookup {
  const repositories = new RepositoryStore(store);
  const host = config.registryHost;
  const pattern = imagePathPattern(host);

  const image = (owner: string, repo_name: string, tag: string, repo_id?: number): ResolvedImage => ({
    image_path: `${host}/${owner}/${repo_name}:${tag}`, owner, repo_name, tag, ...(repo_id !== undefined && { repo_id }),
  });

  return {
    async resolve(owner: Owner, imagePath: string): Promise<ResolvedImage> {
      const m = typeof imagePath === 'string' ? pattern.exec(imagePath) : null;
      if (!m) throw new ApiError('NO_SUCH_IMAGE');
      const [, imageOwner, path, tagPart] = m as unknown as [string, string, string, string | undefined];
      const repoName = path.slice(1);
      const tag = tagPart ?? 'latest';

      if (imageOwner === owner.user_name) {
        const found = await repositories.findTag({ id: owner.id }, repoName, tag, false);
        if (!found) throw new ApiError('NO_SUCH_REPOSITORY');
        if (found.status === null || found.status === undefined) throw new ApiError('NO_SUCH_IMAGE');
        if (found.status !== SUCCEEDED) throw new ApiError('IMAGE_STATUS_ABNORMAL');
        return image(imageOwner, repoName, tag, found.repo_id);
      }
      if (imageOwner === PUBLIC_OWNER) {
        const repo = findPublicRepository(repoName);
        if (!repo || !repo.tags.includes(tag)) throw new ApiError('NO_SUCH_IMAGE');
        return image(imageOwner, repoName, tag, repo.repo_id);
      }
      if (imageOwner === LIBRARY_OWNER) return image(imageOwner, repoName, tag);
      // Another user's repository: public, with the tag built. Favourites are not modelled (no API
      // creates them), so a private repository is simply not found (docs/registry.md).
      const found = await repositories.findTag({ name: imageOwner }, repoName, tag, true);
      if (!found || found.status !== SUCCEEDED) throw new ApiError('NO_SUCH_IMAGE');
      return image(imageOwner, repoName, tag, found.repo_id);
    },

    async userImages(owner: Owner): Promise<ResolvedImage[]> {
      const rows = await repositories.tagsWithStatus(owner.id, SUCCEEDED);
      return rows.map((r) => image(owner.user_name, r.repo_name, r.tag, r.repo_id));
    },

    officialImages(): ResolvedImage[] {
      return publicImages(host);
    },
  };
}
