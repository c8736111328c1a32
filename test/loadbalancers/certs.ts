/**
 * Certificates for the tests, made with node:crypto alone: a minimal DER encoder for X.509 v3
 * (subject/issuer CN, validity, the subject key, an optional CA flag), signed with ECDSA P-256/SHA-256
 * or RSA/SHA-256.
 */
import { createSign, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, body: Buffer) => Buffer.concat([Buffer.from([tag]), len(body.length), body]);
const seq = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
const int = (b: Buffer) => tlv(0x02, b[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
const nul = () => Buffer.from([0x05, 0x00]);
const bool = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const octets = (b: Buffer) => tlv(0x04, b);
const bits = (b: Buffer) => tlv(0x03, Buffer.concat([Buffer.from([0]), b]));
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
const explicit = (n: number, body: Buffer) => tlv(0xa0 + n, body);

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [a! * 40 + b!];
  for (const v of rest) {
    const chunk = [v & 0x7f];
    for (let x = v >> 7; x > 0; x >>= 7) chunk.unshift((x & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function time(d: Date): Buffer {
  const s = d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z'; // YYMMDDHHMMSSZ
  return tlv(0x17, Buffer.from(s));
}

/** A positive serial in minimal DER form: a leading zero byte would make the INTEGER non-minimal (invalid DER). */
function serialNumber(): Buffer {
  const serial = randomBytes(8);
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  return serial;
}

const name = (cn: string) => seq(set(seq(oid('2.5.4.3'), utf8(cn))));

export interface Issued {
  /** PEM of the certificate. */
  cert: string;
  /** PKCS#8 PEM of its private key. */
  key: string;
  keyObject: KeyObject;
  cn: string;
}

export interface IssueOptions {
  cn: string;
  issuer?: Issued;
  ca?: boolean;
  notBefore?: Date;
  notAfter?: Date;
  rsa?: boolean;
}

function pem(label: string, der: Buffer): string {
  const b64 = der.toString('base64').match(/.{1,64}/g)!.join('\n');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

export function issue(opts: IssueOptions): Issued {
  const { publicKey, privateKey } = opts.rsa
    ? generateKeyPairSync('rsa', { modulusLength: 2048 })
    : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const signer = opts.issuer?.keyObject ?? privateKey;
  const rsaSigner = signer.asymmetricKeyType === 'rsa';
  const sigAlg = rsaSigner ? seq(oid('1.2.840.113549.1.1.11'), nul()) : seq(oid('1.2.840.10045.4.3.2'));
  const now = Date.now();
  const extensions = opts.ca ? [explicit(3, seq(seq(oid('2.5.29.19'), bool(true), octets(seq(bool(true))))))] : [];
  const tbs = seq(
    explicit(0, int(Buffer.from([2]))),
    int(serialNumber()),
    sigAlg,
    name(opts.issuer?.cn ?? opts.cn),
    seq(time(opts.notBefore ?? new Date(now - 86_400_000)), time(opts.notAfter ?? new Date(now + 365 * 86_400_000))),
    name(opts.cn),
    publicKey.export({ type: 'spki', format: 'der' }),
    ...extensions,
  );
  const signature = createSign('sha256').update(tbs).sign(signer);
  const der = seq(tbs, sigAlg, bits(signature));
  return { cert: pem('CERTIFICATE', der), key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, keyObject: privateKey, cn: opts.cn };
}

/** A self-signed server certificate and its key. */
export function selfSigned(cn = 'example.com', extra: Omit<IssueOptions, 'cn'> = {}): Issued {
  return issue({ cn, ...extra });
}

/** A CA, an intermediate and a leaf: `chain` is leaf, intermediate, CA (the correct order). */
export function chain(): { leaf: Issued; intermediate: Issued; root: Issued } {
  const root = issue({ cn: 'Test Root', ca: true });
  const intermediate = issue({ cn: 'Test Intermediate', ca: true, issuer: root });
  const leaf = issue({ cn: 'www.example.com', issuer: intermediate });
  return { leaf, intermediate, root };
}
