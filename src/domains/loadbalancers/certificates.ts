/**
 * "Certificate format" of load-balancers.md, checked with node:crypto: PEM syntax, every block a DER
 * X.509 certificate, the chain in order (each certificate issued and signed by the next), one unencrypted
 * private key that belongs to the first certificate. Validity dates are not checked. Anything else is
 * 4000412. The key never leaves this module except as the PEM the caller seals.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { ApiError } from '../../catalog/index.ts';

const MAX_BYTES = 64 * 1024;
const CERT_BLOCK = /-----BEGIN CERTIFICATE-----([^-]*)-----END CERTIFICATE-----/g;
const KEY_BLOCK = /^-----BEGIN (RSA PRIVATE KEY|PRIVATE KEY|EC PRIVATE KEY)-----\n([\s\S]*?)\n?-----END \1-----$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export interface CheckedCertificate {
  /** The chain as stored: normalised line endings. */
  pubCert: string;
  priKey: string;
  /** SHA-1 of the server certificate's DER: uppercase hex pairs joined by `:`. */
  fingerPrint: string;
  /** notAfter of the server certificate, ISO 8601. */
  expiresAt: string;
}

/** `\r` removed; a value without a real newline but with literal `\n` sequences has them read as newlines. */
export function normalizePem(v: string): string {
  const noCr = v.replace(/\r/g, '');
  return !noCr.includes('\n') && noCr.includes('\\n') ? noCr.replace(/\\n/g, '\n') : noCr;
}

function invalid(cause?: unknown): ApiError {
  return new ApiError('LB_CERT_FORMAT_INVALID', cause === undefined ? undefined : { cause });
}

function decodeBase64(body: string): Buffer {
  const compact = body.replace(/\s+/g, '');
  if (!BASE64.test(compact)) throw invalid();
  return Buffer.from(compact, 'base64');
}

function parseChain(pem: string): X509Certificate[] {
  if (Buffer.byteLength(pem) > MAX_BYTES) throw invalid();
  const certs: X509Certificate[] = [];
  // Only whitespace may stand between and around the blocks.
  const rest = pem.replace(CERT_BLOCK, (_, body: string) => {
    try {
      certs.push(new X509Certificate(decodeBase64(body)));
    } catch (err) {
      throw err instanceof ApiError ? err : invalid(err);
    }
    return '';
  });
  if (certs.length === 0 || rest.trim() !== '') throw invalid();
  for (let i = 0; i + 1 < certs.length; i++) {
    const [cert, issuer] = [certs[i]!, certs[i + 1]!];
    if (!cert.checkIssued(issuer) || !cert.verify(issuer.publicKey)) throw invalid();
  }
  return certs;
}

function parseKey(pem: string): KeyObject {
  if (Buffer.byteLength(pem) > MAX_BYTES) throw invalid();
  const match = KEY_BLOCK.exec(pem.trim());
  if (!match || /Proc-Type:\s*4,ENCRYPTED/i.test(match[2]!)) throw invalid();
  decodeBase64(match[2]!);
  try {
    return createPrivateKey({ key: pem.trim(), format: 'pem' });
  } catch (err) {
    throw invalid(err);
  }
}

/** Validates an uploaded pair; throws 4000412 for anything that is not a valid certificate and its key. */
export function checkCertificate(pubCert: string, priKey: string): CheckedCertificate {
  const chainPem = normalizePem(pubCert);
  const keyPem = normalizePem(priKey);
  const chain = parseChain(chainPem);
  const key = parseKey(keyPem);
  const leaf = chain[0]!;
  let matches = false;
  try {
    matches = leaf.checkPrivateKey(key);
  } catch (err) {
    throw invalid(err); // e.g. an EC key for an RSA certificate
  }
  if (!matches) throw invalid();
  return { pubCert: chainPem, priKey: keyPem, fingerPrint: leaf.fingerprint.toUpperCase(), expiresAt: new Date(leaf.validTo).toISOString() };
}
