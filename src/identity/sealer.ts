import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Protects secrets at rest with a master key that lives outside the database (`<data>/master.key`, mode
 * 0600, or `OPENCOMB_MASTER_KEY` as 64 hex characters). A leaked database file alone yields neither
 * working Access Secrets, nor tokens, nor private SSH keys.
 * - `hash`: keyed HMAC-SHA256, for verifying Access Secrets (they are random 128-bit values, so a keyed
 *   fast hash is enough; no password stretching needed).
 * - `seal`/`open`: AES-256-GCM, for what must be recovered later (the secret for RDS request signing,
 *   private key files).
 */
export class Sealer {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('master key must be 32 bytes');
  }

  static fromDataDir(dataDir: string, envKey: string | undefined): Sealer {
    if (envKey) return Sealer.fromHex(envKey);
    const file = join(dataDir, 'master.key');
    if (existsSync(file)) return new Sealer(Buffer.from(readFileSync(file, 'utf8').trim(), 'hex'));
    mkdirSync(dataDir, { recursive: true });
    const key = randomBytes(32);
    writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    return new Sealer(key);
  }

  /** For a store that lives in memory only: the given key, or a random one that dies with the process. */
  static inMemory(envKey: string | undefined): Sealer {
    return envKey ? Sealer.fromHex(envKey) : new Sealer(randomBytes(32));
  }

  private static fromHex(envKey: string): Sealer {
    if (!/^[0-9a-f]{64}$/i.test(envKey)) throw new Error('OPENCOMB_MASTER_KEY must be 64 hex characters');
    return new Sealer(Buffer.from(envKey, 'hex'));
  }

  hash(secret: string): string {
    return createHmac('sha256', this.key).update(secret).digest('hex');
  }

  verify(secret: string, expectedHash: string): boolean {
    const a = Buffer.from(this.hash(secret), 'hex');
    const b = Buffer.from(expectedHash, 'hex');
    return a.length === b.length && timingSafeEqual(a, b);
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join('.');
  }

  open(sealed: string): string {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('unknown sealed format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
  }
}

/** Tokens are stored as SHA-256 digests: unguessable 128-bit values need no key to be safe at rest. */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

// Random bytes are drawn from the system 4 KiB at a time and handed out 16 at a time, each used once (as
// node's randomUUID does): a call to the system for every token cost more than the rest of issuing it.
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let taken = POOL_BYTES;

/** 32 lower-case hex characters, the shape of documented keys, secrets and tokens. */
export function randomHex32(): string {
  if (taken + 16 > pool.length) {
    pool = randomBytes(POOL_BYTES);
    taken = 0;
  }
  const hex = pool.toString('hex', taken, taken + 16);
  pool.fill(0, taken, taken + 16); // what was handed out does not stay in memory
  taken += 16;
  return hex;
}

