/**
 * The overview rules of legacy-containers-apps.md as pure functions: statuses, quotas, image constraints,
 * and the state checks that answer 4030010 / 4030011.
 */
import { createHash } from 'node:crypto';
import { ApiError, type ErrorName } from '../../catalog/index.ts';
import type { Quotas } from '../../config.ts';
import type { LegacyImage } from '../contracts.ts';
import type { Operation } from '../../runtime/runtime.ts';

/** Proposed default quotas (overview); the operator can override each per user. */
export const LEGACY_QUOTAS = {
  legacy_containers: 10,
  legacy_ips: 10,
  apps: 10,
  app_replicas: 20,
  app_nlbs: 5,
} as const;

export function quotaOf(quotas: Quotas, name: keyof typeof LEGACY_QUOTAS): number {
  return quotas[name] ?? LEGACY_QUOTAS[name];
}

/** Throws `code` when `used + adding` exceeds `limit`. */
export function checkQuota(used: number, adding: number, limit: number, code: ErrorName): void {
  if (used + adding > limit) throw new ApiError(code);
}

/** "In progress" = any `*ing` status; "stable" = any `*_succ`; everything else failed. */
export const isBusy = (status: string) => status.endsWith('ing');
export const isStable = (status: string) => status.endsWith('_succ');

/** Update, restart and save as image need a stable container; delete only refuses one in progress. */
export function checkContainerStable(status: string): void {
  if (!isStable(status)) throw new ApiError('CONTAINER_STATUS_ABNORMAL');
}
export function checkContainerDeletable(status: string): void {
  if (isBusy(status)) throw new ApiError('CONTAINER_STATUS_ABNORMAL');
}
/** Update, resize and the web hook need a stable app; delete only refuses one in progress. */
export function checkAppStable(status: string): void {
  if (!isStable(status)) throw new ApiError('APP_STATUS_ABNORMAL');
}
export function checkAppDeletable(status: string): void {
  if (isBusy(status)) throw new ApiError('APP_STATUS_ABNORMAL');
}

/** The status an operation enters and the prefix of its outcome (overview: create/update/resize). */
export function phaseOf(op: Operation): { busy: string; done: string } {
  switch (op.kind) {
    case 'create': return { busy: 'creating', done: 'create' };
    case 'scale': return { busy: 'resizing', done: 'resize' };
    default: return { busy: 'updating', done: 'update' };
  }
}

/**
 * `spec_id` must lie inside the image's constraint for the billing type: package billing (1) the combo
 * range, on demand (2) the machine-spec range. An image without a constraint runs on every spec.
 */
export function checkSpecAllowed(image: LegacyImage, chargeType: number, specId: number): void {
  const c = image.constraint;
  if (!c) return;
  const [min, max] = chargeType === 1 ? [c.min_combo, c.max_combo] : [c.min_machine_spec, c.max_machine_spec];
  if (specId < min || specId > max) throw new ApiError('INVALID_PARAMETERS', { param: 'spec_id' });
}

/** A 16-hex opaque digest of a source-control password (what responses show instead of it). */
export function passwordDigest(password: string): string {
  return createHash('sha256').update(`opencomb-vc:${password}`).digest('hex').slice(0, 16);
}

/** Megabytes with one decimal and the `MB` suffix (flow). */
export function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)}MB`;
}

/** Epoch seconds, or milliseconds above 10^12; negative means "the default". */
export function epochMs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (n < 0) return undefined;
  return n > 1e12 ? n : n * 1000;
}
