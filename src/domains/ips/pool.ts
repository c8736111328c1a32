/**
 * The platform's public address pool (volumes-and-ips.md, Create public IPs: "Proposed: addresses come
 * from a configurable pool, default 59.111.0.0/16, excluding the network and broadcast addresses").
 * Allocation is deterministic: always the lowest free addresses, so a server's history decides its
 * addresses and a released address is the first one given out again.
 */
export interface Pool {
  /** First and last usable address, as unsigned 32-bit numbers. */
  first: number;
  last: number;
}

export function toNumber(dotted: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(dotted);
  if (!m) return undefined;
  const octets = m.slice(1).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  return ((octets[0]! * 256 + octets[1]!) * 256 + octets[2]!) * 256 + octets[3]!;
}

export function toDotted(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** `a.b.c.d/len`; a /31 or /32 has no network/broadcast address to spare, so all of it is usable. */
export function parsePool(cidr: string): Pool {
  const [addr, lenText] = cidr.split('/');
  const base = addr === undefined ? undefined : toNumber(addr);
  const len = lenText === undefined ? 32 : Number(lenText);
  if (base === undefined || !Number.isInteger(len) || len < 0 || len > 32) throw new Error(`ipPool must be an IPv4 CIDR such as 59.111.0.0/16, got "${cidr}"`);
  const size = 2 ** (32 - len);
  const network = base - (base % size);
  if (size <= 2) return { first: network, last: network + size - 1 };
  return { first: network + 1, last: network + size - 2 };
}

/**
 * The `count` lowest addresses of the pool not in `used`, or undefined when fewer are free.
 * `used` may hold addresses outside the pool (a pool changed between runs): they are ignored.
 */
export function lowestFree(pool: Pool, used: Iterable<number>, count: number): number[] | undefined {
  const taken = [...used].filter((n) => n >= pool.first && n <= pool.last).sort((a, b) => a - b);
  const out: number[] = [];
  let next = pool.first;
  let i = 0;
  while (out.length < count && next <= pool.last) {
    while (i < taken.length && taken[i]! < next) i++;
    if (i < taken.length && taken[i] === next) {
      next++;
      continue;
    }
    // `next` is free, and so is everything up to the next taken address.
    const limit = i < taken.length ? taken[i]! - 1 : pool.last;
    for (; next <= limit && out.length < count; next++) out.push(next);
  }
  return out.length === count ? out : undefined;
}
