/**
 * The beta API's image lists (legacy-containers-apps.md, "List container images"): a small public catalog
 * with numeric ids, and the caller's successfully built tags as custom images. A custom image's id is its
 * tag's id: stable for that repository/tag pair (an overwritten tag keeps it), and the id save-as-image
 * returns.
 */
import type { LegacyImage, Owner } from '../contracts.ts';
import type { Clock } from '../../clock.ts';
import type { Config } from '../../config.ts';
import { RepositoryStore, TAG_STATUS } from './store.ts';

type PublicEntry = Omit<LegacyImage, 'image_path'> & { repo: string };

/**
 * The documented `centos:latest` (id 10005, its constraint) and ids 2 and 3, which the documented create
 * examples use (a container from 2, an app built from sources with 3): Ubuntu and Tomcat, constraint-free.
 */
const PUBLIC_CATALOG: readonly PublicEntry[] = [
  { tag: 'latest', desc: '', weight: 3, id: 10005, name: 'centos', repo: 'public/centos', constraint: { min_combo: 20, max_combo: 50, min_machine_spec: 10, max_machine_spec: 40 } },
  { tag: '14.04', desc: '', weight: 2, id: 2, name: 'ubuntu', repo: 'public/ubuntu', constraint: null },
  { tag: '7.0', desc: '', weight: 1, id: 3, name: 'tomcat', repo: 'public/tomcat', constraint: null },
];

const byWeight = (a: LegacyImage, b: LegacyImage) => b.weight - a.weight || a.id - b.id;

export function createLegacyImages(repositories: RepositoryStore, config: Config, clock: Clock) {
  const host = config.registryHost;
  const publicImages = (): LegacyImage[] => PUBLIC_CATALOG.map(({ repo, ...e }) => ({ ...e, image_path: `${host}/${repo}:${e.tag}` })).sort(byWeight);
  const customImages = async (owner: Owner): Promise<LegacyImage[]> =>
    (await repositories.tagsWithIds(owner.id, TAG_STATUS.succeeded)).map((t) => ({
      tag: t.tag, desc: t.tag, weight: 0, id: Number(t.id), name: t.repo_name, constraint: null,
      image_path: `${host}/${owner.user_name}/${t.repo_name}:${t.tag}`,
    })).sort(byWeight);

  return {
    async legacyImages(owner: Owner) {
      return { custom: await customImages(owner), public: publicImages() };
    },
    async legacyImage(owner: Owner, imageType: number, id: number) {
      const list = imageType === 1 ? publicImages() : imageType === 2 ? await customImages(owner) : [];
      return list.find((image) => image.id === id);
    },
    async saveTag(owner: Owner, quotas: { repositories: number; tags: number }, repoName: string, tag: string, sourceImage: string) {
      const accepted = clock.now();
      const delayMs = Math.max(0, config.registryBuildSeconds * 1000);
      return repositories.build(owner.id, quotas, {
        repoName, tag, dockerfile: `FROM ${sourceImage}\n`, result: TAG_STATUS.succeeded, reason: '',
        // Saved straight into "building" (status 1 at once), finished after the configured build time.
        acceptedAt: accepted, buildingAt: accepted, finishAt: new Date(accepted.getTime() + delayMs),
      });
    },
  };
}
