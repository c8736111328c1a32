import type { Generated } from 'kysely';

/** An image repository; `repo_name` is unique per user (database constraint `repositories_user_name`). */
export interface RepositoriesTable {
  id: Generated<number>;
  user_id: number;
  repo_name: string;
  open_level: number; // 0 private, 1 public
  ci_support: number; // 0/1, fixed at creation
  base_desc: string;
  detail_desc: string;
  created_at: string;
  updated_at: string;
}

/**
 * A tag (image version) of a repository; `name` is unique per repository. A build stores its outcome at
 * acceptance and the times of its two transitions (0 → 1 at `building_at`, 1 → 2/3 at `finish_at`,
 * millisecond ISO text); the `registry-builds` due task moves `status` when those times pass.
 */
export interface RepositoryTagsTable {
  id: Generated<number>;
  repo_id: number;
  name: string;
  status: number; // 0 initializing, 1 building, 2 succeeded, 3 failed
  size: number;
  /** 2 or 3: what the emulated builder decided from the Dockerfile. */
  result: number;
  /** Why the build fails (empty when it succeeds), for the log and for operators. */
  result_reason: string;
  dockerfile: string;
  accepted_at: string;
  building_at: string;
  finish_at: string;
  /** When the tag last reached 2 or 3 (second precision); null while a build runs. */
  finished_at: string | null;
  created_at: string;
}

export interface RegistryTables {
  repositories: RepositoriesTable;
  repository_tags: RepositoryTagsTable;
}
