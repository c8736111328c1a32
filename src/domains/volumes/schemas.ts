import { r } from '../../http/response-schema.ts';
import { f, schema } from '../../http/schema.ts';
import { STATUSES } from './rules.ts';
import type { VolumeStatus } from '../../store/tables/volumes.ts';

/** Volume name rule (volumes-and-ips.md, Create): 1–32 of a-z, 0-9, "-", starting with a letter. */
export const VOLUME_NAME = /^[a-z]([a-z0-9-]{0,30}[a-z0-9])?$/;

const validSize = (v: number) => v >= 10 && v <= 1000 && v % 10 === 0;

/** Create: missing 4000202, invalid 4000201 (family 02's own pair). */
export const createVolumeBody = schema({
  volume_name: f.string({ pattern: VOLUME_NAME }).required().describe('unique per user; ^[a-z]([a-z0-9-]{0,30}[a-z0-9])?$'),
  // "" is a present value that is neither Ext4 nor Raw (only null/absent mean the default).
  format: f.string().keepEmpty().rule((v) => /^(ext4|raw)$/i.test(v)).describe('Ext4 (default) or Raw, any case'),
  // "" is text, not an integer: invalid rather than missing (Conventions); only absent/null are missing.
  size: f.int().required().keepEmpty().rule(validSize).describe('GB: 10–1000, a multiple of 10'),
}, { missing: 'VOLUME_MISSING_PARAMETERS', invalid: 'VOLUME_INVALID_PARAMETERS' });

/**
 * List paging: bad values answer 4000213 `Param invalid.` The values stay decimal text (an integer of any
 * size: a limit above 20 is clamped, an offset past the end gives an empty page, even beyond 2^53);
 * `pageValue` turns them into numbers.
 */
const DECIMAL = /^-?\d+$/;
export const listVolumesQuery = schema({
  limit: f.string({ pattern: DECIMAL }).rule((v) => BigInt(v) > 0n).describe('integer page size, 1–20 (larger values are clamped to 20), default 20'),
  offset: f.string({ pattern: DECIMAL }).rule((v) => BigInt(v) >= 0n).describe('integer index of the first volume, default 0'),
}, { invalid: 'VOLUME_PARAM_INVALID' });

/** A validated paging value, capped at `max` (absent → `fallback`). */
export function pageValue(text: string | undefined, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  const n = BigInt(text);
  return n > BigInt(max) ? max : Number(n);
}

/** Resize: `size` absent or empty → 4000202; malformed → 4000213 (compared with the volume later). */
export const resizeVolumeQuery = schema({
  size: f.int().required().rule((v) => v % 10 === 0 && v <= 1000).describe('new size in GB: a multiple of 10, above the current size, at most 1000'),
}, { missing: 'VOLUME_MISSING_PARAMETERS', invalid: 'VOLUME_PARAM_INVALID' });

/** Operator simulation of provisioning and attach outcomes (docs/volumes.md). */
export const operatorVolumeStateBody = schema({
  status: f.string<VolumeStatus>({ enum: STATUSES }).required(),
}, { missing: 'MISSING_PARAMETERS', invalid: 'INVALID_PARAMETERS' });

// ---------------------------------------------------------------------------------------------- answers

export const volumeExample = {
  id: 19893, name: 'myvolume', size: 10, status: 'create_succ', volume_uuid: '2cf3face-adc8-41af-992c-78415d2fcd96',
  service_name: '', file_system_type: 'Ext4', created_at: '2016-12-23T07:52:08Z', upated_at: '2016-12-23T07:52:08Z',
  updated_at: '2016-12-23T07:52:08Z', from_snapshot_id: 0, volume_mappings: [],
};

const volume = r.named('CloudVolume', r.object({
  id: r.int(), name: r.string(), size: r.int('GB'), status: r.enum(STATUSES), volume_uuid: r.string(),
  service_name: r.string('"<namespace>/<service>" while mounted, else ""'), file_system_type: r.enum(['Ext4', 'Raw']),
  created_at: r.dateTime(), upated_at: r.dateTime('the original spelling, kept for its clients'), updated_at: r.dateTime(),
  from_snapshot_id: r.int('always 0'),
  volume_mappings: r.array(r.object({ mount_path: r.string(), service_container_id: r.int() })),
}));

export const volumeCreated = { schema: r.object({ id: r.int() }), example: { id: 19893 } };
export const volumePage = { schema: r.object({ total: r.int(), volumes: r.array(volume) }), example: { total: 1, volumes: [volumeExample] } };
export const volumeOne = { schema: volume, example: volumeExample };
