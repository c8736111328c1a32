import type { IncomingMessage } from 'node:http';
import { ApiError } from '../catalog/index.ts';

/** `application/json` (any parameters) or any `application/*+json`, case-insensitive (core.md §2.2 rule 2). */
export function isJsonMediaType(contentType: string | undefined): boolean {
  if (contentType === undefined) return true; // rule 3: a body without Content-Type is parsed as JSON
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || /^application\/[^/]+\+json$/.test(type);
}

export interface RawBody {
  bytes: Buffer;
  tooLarge: boolean;
}

/**
 * Reads the body, keeping at most `limit` bytes (the rest is drained and flagged `tooLarge`). The promise
 * rejects with 4080001 when the client has not finished sending within `deadlineMs` of the request start.
 */
export function readBody(req: IncomingMessage, limit: number, deadlineMs: number, onTimeout: () => void): Promise<RawBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    const timer = setTimeout(() => {
      cleanup();
      onTimeout();
      reject(new ApiError('REQUEST_TIMEOUT'));
    }, Math.max(0, deadlineMs));
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve({ bytes: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks), tooLarge });
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const cleanup = () => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onError);
    };
    req.on('data', onData).on('end', onEnd).on('error', onError);
  });
}

/**
 * Turns a read body into the JSON object handlers validate (core.md §2.2 rules 2–6): empty → {}, wrong media
 * type → 4150001, too large or not UTF-8 JSON → 4000403, not an object → 4220001.
 */
export function parseJsonObject(body: RawBody, contentType: string | undefined): Record<string, unknown> {
  if (!body.tooLarge && body.bytes.length === 0) return {};
  if (!isJsonMediaType(contentType)) throw new ApiError('UNSUPPORTED_MEDIA_TYPE');
  if (body.tooLarge) throw new ApiError('INVALID_REQUEST_BODY');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body.bytes);
  } catch {
    throw new ApiError('INVALID_REQUEST_BODY');
  }
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    throw new ApiError('INVALID_REQUEST_BODY');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ApiError('UNPROCESSABLE_ENTITY');
  return value as Record<string, unknown>;
}

/** Query string → first occurrence of each parameter (core.md §2.3). */
export function parseQuery(search: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(search)) if (!(key in out)) out[key] = value;
  return out;
}
