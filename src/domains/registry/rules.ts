/**
 * Name rules of the registry (keys-and-registry.md overview) as pure functions. Violations answer
 * 4000001 Invalid parameters.
 */
import { ApiError } from '../../catalog/index.ts';

/** Levels separated by `/`; lower-case letters, digits, `-`, `_`, `.`; no two specials in a row. */
export const REPO_NAME_RE = /^[a-z0-9]+(?:[._/-][a-z0-9]+)*$/;
/** Tags: at most 100 characters (legacy console). */
export const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/;
/** `<user_name>/<repo_name>` at most this many characters. */
export const MAX_FULL_NAME = 200;
/** A user name has at least one character, so a repository name can never be longer than this. */
export const MAX_REPO_NAME = MAX_FULL_NAME - 2;
/** The most levels a repository name can have (`a/a/.../a` within MAX_REPO_NAME). */
export const MAX_REPO_LEVELS = Math.floor((MAX_REPO_NAME + 1) / 2);
/** Dockerfile size limit (Proposed: 1,048,576 bytes) and the multipart body read limit (2 MiB). */
export const MAX_DOCKERFILE_BYTES = 1_048_576;
export const MAX_BUILD_BODY_BYTES = 2 * 1_048_576;

export function isRepoName(name: string): boolean {
  return name.length <= MAX_REPO_NAME && REPO_NAME_RE.test(name);
}

/** The owner-dependent length rule: `user_name + "/" + repo_name` ≤ 200. */
export function fitsWithOwner(userName: string, repoName: string): boolean {
  return userName.length + 1 + repoName.length <= MAX_FULL_NAME;
}

/** The name rule plus the owner-dependent length rule. */
export function checkRepoNameFor(userName: string, repoName: string, param = 'repo_name'): void {
  if (!isRepoName(repoName) || !fitsWithOwner(userName, repoName)) {
    throw new ApiError('INVALID_PARAMETERS', { param });
  }
}

export function checkTag(tag: string, param = 'tag'): void {
  if (!TAG_RE.test(tag)) throw new ApiError('INVALID_PARAMETERS', { param });
}
