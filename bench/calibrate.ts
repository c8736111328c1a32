/**
 * `npm run bench -- --calibrate`: what a ratio to bare node:http means on this machine. The bare server
 * (bench/baseline.ts) is loaded beside copies of itself that burn a fixed number of microseconds of plain
 * JavaScript before each answer, in one-second turns as the ratio targets are. The table gives, for each
 * amount of work per request, the ratio it reaches and the CPU each request then costs: where a server's own
 * code per request (from its profile) must be for a ratio target. On a 2-core machine the load generator
 * shares the cores, and the cost of waking it for each answer grows when the server, not the generator, is
 * the bottleneck, so the ratio falls faster than the work alone would say.
 */
import { interleaved, startProcess, stop } from './harness.ts';

const SPINS_US = [0, 5, 10, 20, 40, 80];

export async function calibrate(seconds: number, connections: number): Promise<void> {
  const bare = await startProcess(['bench/baseline.ts']);
  console.log('| work per request (µs of JavaScript) | req/s | node:http req/s | ratio | CPU µs/req (node:http) |');
  console.log('|---:|---:|---:|---:|---:|');
  try {
    for (const spin of SPINS_US) {
      const spinning = await startProcess(['bench/baseline.ts'], { BASELINE_SPIN_US: String(spin) });
      try {
        const [base, l] = await interleaved(
          { url: `${bare.url}/x`, pid: bare.child.pid, seconds, connections },
          { url: `${spinning.url}/x`, pid: spinning.child.pid, seconds, connections },
        );
        console.log(`| ${spin} | ${l.rps.toFixed(0)} | ${base.rps.toFixed(0)} | ${(l.rps / base.rps).toFixed(2)} | ${l.cpuPerRequest?.toFixed(0)} (${base.cpuPerRequest?.toFixed(0)}) |`);
      } finally {
        await stop(spinning);
      }
    }
  } finally {
    await stop(bare);
  }
}
