/**
 * Reads a V8 `.cpuprofile` (`node --cpu-prof`) and lists where the time went: the functions with the most
 * self time, and the same time grouped by where the code lives (our src/ folders, each package under
 * node_modules, Node's internals). `npx tsx bench/profile-summary.ts <file> [top]`.
 */
import { readFileSync } from 'node:fs';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[] }

function place(url: string): string {
  if (!url) return '(native / VM)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const src = /\/(src|dist|bench)\/(.*)\/[^/]+$/.exec(url) ?? /\/(src|dist|bench)\/()[^/]+$/.exec(url);
  if (src) return `${src[1]}/${src[2]}`.replace(/\/$/, '');
  if (url.startsWith('node:')) return 'node internals';
  return url;
}

export function summarizeProfile(file: string, top = 20): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  let total = 0;
  for (const t of self.values()) total += t;
  const idle = [...self].filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)').reduce((s, [, t]) => s + t, 0);
  const busy = total - idle;

  const frames = new Map<string, number>();
  const places = new Map<string, number>();
  for (const [id, t] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    const key = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(node_modules|src|dist|bench)\//, '$1/')}:${lineNumber + 1}`;
    frames.set(key, (frames.get(key) ?? 0) + t);
    places.set(place(url), (places.get(place(url)) ?? 0) + t);
  }
  // Inclusive time of our own functions (src/ or dist/): a frame counts once per sample even when recursive.
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map<string, number>();
  for (const [id, t] of self) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { functionName, url, lineNumber } = byId.get(at)!.callFrame;
      if (!/\/(src|dist)\//.test(url) || url.includes('node_modules')) continue;
      const key = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(src|dist)\//, '$1/')}:${lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + t);
    }
  }
  const pct = (t: number) => `${((100 * t) / busy).toFixed(1).padStart(5)} %`;
  const lines = [`busy ${(busy / 1e6).toFixed(1)} s of ${(total / 1e6).toFixed(1)} s sampled`, 'self time by place:'];
  for (const [k, t] of [...places].sort((a, b) => b[1] - a[1]).slice(0, 12)) lines.push(`  ${pct(t)}  ${k}`);
  lines.push('top functions by self time:');
  for (const [k, t] of [...frames].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(t)}  ${k}`);
  lines.push('our functions by inclusive time:');
  for (const [k, t] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(t)}  ${k}`);
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(summarizeProfile(process.argv[2]!, Number(process.argv[3] ?? 25)));
