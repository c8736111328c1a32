/** The 18 specifications (microservices.md §2.3): static data, there is no endpoint that lists them. */
export interface Spec {
  alias: string;
  cores: number;
  memoryGb: number;
  /** CNY per replica per hour (pay-as-you-go), for the billing checks of microservices.md §2.9. */
  price: number;
}

const GB = 1073741824;

export const SPECS: readonly Spec[] = [
  ['C1M1S20', 1, 1, 0.06], ['C1M2S20', 1, 2, 0.14], ['C2M2S20', 2, 2, 0.19], ['C2M4S20', 2, 4, 0.25],
  ['C2M8S20', 2, 8, 0.43], ['C4M4S20', 4, 4, 0.43], ['C4M8S20', 4, 8, 0.52], ['C4M16S20', 4, 16, 0.84],
  ['C8M8S20', 8, 8, 0.84], ['C8M16S20', 8, 16, 1.02], ['C8M32S20', 8, 32, 1.67], ['C16M16S20', 16, 16, 1.67],
  ['C16M32S20', 16, 32, 2.21], ['C16M64S20', 16, 64, 3.32], ['C16M128S20', 16, 128, 5.54],
  ['C32M32S20', 32, 32, 3.3], ['C32M64S20', 32, 64, 4.41], ['C32M128S20', 32, 128, 6.63],
].map(([alias, cores, memoryGb, price]) => ({ alias: alias as string, cores: cores as number, memoryGb: memoryGb as number, price: price as number }));

const BY_ALIAS = new Map(SPECS.map((s) => [s.alias, s]));
// Every listed service carries its spec's text: made once per spec, not once per row.
const SPEC_INFO = new Map(SPECS.map((s) => [s.alias, JSON.stringify({ cpu: s.cores * 1000, disk_type: 'SSD', memory: s.memoryGb * GB, spec_alias: s.alias, storage: 20 })]));

/** Legacy numeric `spec_id` 1–7 of an earlier revision (microservices.md §2.3). */
const LEGACY_SPEC_IDS: Record<number, string> = {
  1: 'C1M1S20', 2: 'C1M1S20', 3: 'C2M2S20', 4: 'C2M4S20', 5: 'C4M8S20', 6: 'C8M16S20', 7: 'C16M64S20',
};

/** A well-formed alias (any case) → its spec, or undefined when it is not in the table (4040118). */
export function specByAlias(alias: string): Spec | undefined {
  return BY_ALIAS.get(alias.toUpperCase());
}

export function specByLegacyId(id: number): Spec | undefined {
  const alias = LEGACY_SPEC_IDS[id];
  return alias ? BY_ALIAS.get(alias) : undefined;
}

/** `spec_info` as emitted (microservices.md §2.4): JSON text, alphabetical keys, no spaces. */
export function specInfo(alias: string): string {
  return SPEC_INFO.get(alias)!;
}

/** Hourly price of a service (microservices.md §2.9): replicas × spec price, plus fixed bandwidth when billed by bandwidth. */
export function hourlyPrice(alias: string, replicas: number, net: { used: boolean; type: string; bandwidth: number }): number {
  const spec = BY_ALIAS.get(alias)!;
  let price = replicas * spec.price;
  if (net.used && net.type === 'bandwidth') price += Math.min(net.bandwidth, 5) * 0.03 + Math.max(net.bandwidth - 5, 0) * 0.1;
  return Math.round(price * 1e6) / 1e6;
}
