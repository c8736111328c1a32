/**
 * The official image catalog (owner `public`): data, not behaviour. It holds at least every public image
 * the documentation's examples use (`public/ubuntu:14.04`, `public/centos:6.5`, `public/centos:7.2.1511`,
 * core.md §10) plus the common official images of the time. `repo_id` 1055 for centos is the documented
 * one; the others are this catalog's own stable ids. Tags are listed newest first, as the images list shows
 * them, except where a documented example fixes the order.
 */
import type { ResolvedImage } from '../contracts.ts';

export const PUBLIC_OWNER = 'public';
/** Docker Hub mirror: accepted without verification (microservices.md §2.8). */
export const LIBRARY_OWNER = 'library';

export interface PublicRepository {
  repo_id: number;
  repo_name: string;
  tags: readonly string[];
}

/** Ordered by `repo_id` descending, as the images list groups them. */
export const PUBLIC_REPOSITORIES: readonly PublicRepository[] = [
  { repo_id: 1068, repo_name: 'php', tags: ['7.0', '5.6', 'latest'] },
  { repo_id: 1067, repo_name: 'tomcat', tags: ['8.0', '7.0', 'latest'] },
  { repo_id: 1066, repo_name: 'python', tags: ['3.5', '2.7', 'latest'] },
  { repo_id: 1065, repo_name: 'nodejs', tags: ['6.2.1', '4.4.5', 'latest'] },
  { repo_id: 1064, repo_name: 'redis', tags: ['3.2', '3.0', 'latest'] },
  { repo_id: 1063, repo_name: 'mysql', tags: ['5.7', '5.6', 'latest'] },
  { repo_id: 1062, repo_name: 'nginx', tags: ['1.10', '1.9.15', 'latest'] },
  { repo_id: 1061, repo_name: 'debian', tags: ['8', '7', 'latest'] },
  { repo_id: 1057, repo_name: 'ubuntu', tags: ['16.04', '14.04', 'latest'] },
  // The documented example lists 6.5 before 7.2.1511.
  { repo_id: 1055, repo_name: 'centos', tags: ['6.5', '7.2.1511', '7', 'latest'] },
];

export function findPublicRepository(repoName: string): PublicRepository | undefined {
  return PUBLIC_REPOSITORIES.find((r) => r.repo_name === repoName);
}

/** Every official image as an images-list entry, in list order (`repo_id` descending, tags as listed). */
export function publicImages(registryHost: string): ResolvedImage[] {
  return PUBLIC_REPOSITORIES.flatMap((r) => r.tags.map((tag) => ({
    image_path: `${registryHost}/${PUBLIC_OWNER}/${r.repo_name}:${tag}`, owner: PUBLIC_OWNER, repo_name: r.repo_name, tag, repo_id: r.repo_id,
  })));
}
