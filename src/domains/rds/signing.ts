/**
 * Signed requests for the RDS endpoints (rds.md "Signed requests"): `Authorization: CC-HMAC-SHA256
 * AccessKey=…, Signature=…` with `X-CC-Timestamp` and `X-CC-Nonce`, HMAC-SHA256 under the Access Secret
 * over a canonical form of the request. Handed to the pipeline as an `AuthScheme` by the RDS routes.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../../catalog/index.ts';
import type { AuthScheme, SchemeRequest } from '../../http/route.ts';
import { toAuthUser } from '../../identity/auth.ts';
import { RdsStore } from './store.ts';

export const SCHEME = 'CC-HMAC-SHA256';
/** Seconds a timestamp may differ from the server clock. */
export const WINDOW_SECONDS = 300;
/** Seconds a used (AccessKey, Nonce) pair is remembered. */
export const NONCE_SECONDS = 600;

const NONCE = /^[A-Za-z0-9_-]{8,64}$/;

/** Percent-decoding as the server decodes queries: `+` is a space (in queries), a stray `%` is literal. */
export function lenientDecode(text: string, plusIsSpace: boolean): string {
  const src = plusIsSpace ? text.replace(/\+/g, ' ') : text;
  const bytes: number[] = [];
  for (let i = 0; i < src.length; i++) {
    if (src[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(src.slice(i + 1, i + 3))) {
      bytes.push(parseInt(src.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(src[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** RFC 3986: `A–Z a–z 0–9 - . _ ~` kept, everything else `%XX` (upper-case hex over UTF-8). */
export function rfc3986(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function canonicalPath(rawPath: string): string {
  return rawPath.split('/').map((segment) => rfc3986(lenientDecode(segment, false))).join('/');
}

export function canonicalQuery(rawQuery: string): string {
  const pairs = rawQuery.split('&').filter((p) => p !== '').map((pair) => {
    const eq = pair.indexOf('=');
    const [name, value] = eq === -1 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
    return [rfc3986(lenientDecode(name, true)), rfc3986(lenientDecode(value, true))] as const;
  });
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([n, v]) => `${n}=${v}`).join('&');
}

export interface Signable {
  method: string;
  rawPath: string;
  rawQuery: string;
  timestamp: string;
  nonce: string;
  body: Buffer;
}

/** The seven lines of the string to sign, joined by `\n`. */
export function stringToSign(r: Signable): string {
  return [SCHEME, r.method.toUpperCase(), canonicalPath(r.rawPath), canonicalQuery(r.rawQuery), r.timestamp, r.nonce,
    createHash('sha256').update(r.body).digest('hex')].join('\n');
}

export function signature(secret: string, r: Signable): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(stringToSign(r), 'utf8').digest('hex');
}

/** `AccessKey=…, Signature=…` in either order, whitespace around the pairs allowed. */
function parseCredentials(header: string): { accessKey?: string; signature?: string } {
  const rest = header.trim().slice(SCHEME.length);
  const out: { accessKey?: string; signature?: string } = {};
  for (const part of rest.split(',')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (name === 'AccessKey') out.accessKey ??= value;
    if (name === 'Signature') out.signature ??= value;
  }
  return out;
}

function header(r: SchemeRequest, name: string): string | undefined {
  const v = r.headers[name];
  return (Array.isArray(v) ? v[0] : v)?.trim();
}

const DUMMY_SECRET = '0'.repeat(32);

export const signedRequests: AuthScheme = {
  scheme: SCHEME,
  errors: ['RDS_MISSING_AUTHENTICATION_TOKEN', 'RDS_INVALID_PARAMETER_VALUE', 'RDS_REQUEST_EXPIRED', 'RDS_INVALID_SIGNATURE', 'RDS_PERMISSION_FORBIDDEN'],
  async authenticate(r, services) {
    const { accessKey, signature: given } = parseCredentials(header(r, 'authorization') ?? '');
    const timestamp = header(r, 'x-cc-timestamp');
    const nonce = header(r, 'x-cc-nonce');
    if (!accessKey || !given || !timestamp || !nonce) throw new ApiError('RDS_MISSING_AUTHENTICATION_TOKEN');
    if (!/^-?\d{1,15}$/.test(timestamp) || !NONCE.test(nonce)) throw new ApiError('RDS_INVALID_PARAMETER_VALUE');
    const nowMs = services.clock.now().getTime();
    if (Math.abs(Math.floor(nowMs / 1000) - Number(timestamp)) > WINDOW_SECONDS) throw new ApiError('RDS_REQUEST_EXPIRED');

    const key = await services.identity.findKeyUser(accessKey);
    // An unknown key is checked against a dummy secret, so its answer takes as long as a wrong signature's.
    const expected = Buffer.from(signature(key?.secret ?? DUMMY_SECRET, { ...r, timestamp, nonce }), 'hex');
    const sent = /^[0-9a-fA-F]{64}$/.test(given) ? Buffer.from(given, 'hex') : Buffer.alloc(32);
    const matches = timingSafeEqual(expected, sent);
    if (!key || !matches || sent.length !== 32 || !/^[0-9a-fA-F]{64}$/.test(given)) throw new ApiError('RDS_INVALID_SIGNATURE');
    if (!key.enabled) throw new ApiError('RDS_PERMISSION_FORBIDDEN');

    const fresh = await new RdsStore(services.store.db).useNonce(accessKey, nonce, new Date(nowMs).toISOString(), new Date(nowMs + NONCE_SECONDS * 1000).toISOString());
    if (!fresh) throw new ApiError('RDS_REQUEST_EXPIRED');
    return toAuthUser(key.user, services.config.quotas);
  },
};
