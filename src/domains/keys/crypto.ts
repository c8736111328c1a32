import { createHash, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

const generate = promisify(generateKeyPair);

export interface SshKeyPair {
  /** PEM, PKCS#1 (`BEGIN RSA PRIVATE KEY`), 64-character lines, final newline. */
  privateKeyPem: string;
  /** One OpenSSH `authorized_keys` line: `ssh-rsa <base64> <comment>`. */
  publicKey: string;
  /** MD5 of the OpenSSH wire-format public key, 16 lower-case hex pairs joined by `:` (`ssh-keygen -l -E md5`). */
  fingerprint: string;
}

export async function generateSshKeyPair(comment: string): Promise<SshKeyPair> {
  const { publicKey, privateKey } = await generate('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
  const blob = sshRsaBlob(publicKey);
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    publicKey: `ssh-rsa ${blob.toString('base64')} ${comment}`,
    fingerprint: md5Fingerprint(blob),
  };
}

/** RFC 4253 §6.6: string "ssh-rsa", mpint e, mpint n. */
export function sshRsaBlob(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: 'jwk' });
  if (!jwk.e || !jwk.n) throw new Error('not an RSA public key');
  return Buffer.concat([sshString(Buffer.from('ssh-rsa')), sshMpint(Buffer.from(jwk.e, 'base64url')), sshMpint(Buffer.from(jwk.n, 'base64url'))]);
}

export function md5Fingerprint(blob: Buffer): string {
  return createHash('md5').update(blob).digest('hex').match(/../g)!.join(':');
}

function sshString(data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  return Buffer.concat([len, data]);
}

/** A positive mpint carries a leading zero byte when its top bit is set. */
function sshMpint(magnitude: Buffer): Buffer {
  let i = 0;
  while (i < magnitude.length - 1 && magnitude[i] === 0) i++;
  const trimmed = magnitude.subarray(i);
  return sshString(trimmed[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}
