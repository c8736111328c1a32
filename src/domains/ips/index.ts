/** The public IPs domain (volumes-and-ips.md, Part B). Listed after billing: an IP is metered. */
import type { Module } from '../../module.ts';
import type { Services } from '../../services.ts';
import { ArrearsWatch } from './arrears.ts';
import { createIpBinding } from './binding.ts';
import { parsePool } from './pool.ts';
import { ipRoutes } from './routes.ts';
import { IpStore } from './store.ts';

export function ipsModule({ store, clock, config, resources }: Services): Module {
  const { billing } = resources;
  const ips = IpStore.of(store, parsePool(config.ipPool));
  const arrears = new ArrearsWatch(store, billing);
  return {
    name: 'ips',
    routes: ipRoutes,
    // A load balancer's `binding` phase ends; IPs of accounts in long arrears are disabled.
    dueTasks: [{
      name: 'ips',
      async run(now) {
        await ips.settleBindings(clock.iso(now));
        await arrears.run(now);
      },
    }],
    provides: { ips: createIpBinding({ store, clock, config, billing, ips }) },
  };
}
