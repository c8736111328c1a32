/** The cloud volumes domain (volumes-and-ips.md, Part A). */
import type { Module } from '../../module.ts';
import type { Services } from '../../services.ts';
import { createVolumeBinding } from './binding.ts';
import { volumeRoutes } from './routes.ts';
import { VolumeStore } from './store.ts';

export function volumesModule(services: Services): Module {
  const { store, clock } = services;
  const volumes = new VolumeStore(store.db);
  return {
    name: 'volumes',
    routes: volumeRoutes,
    // Provisioning finishes on the server clock (creating → create_succ).
    dueTasks: [{ name: 'volumes', run: (now) => volumes.settleCreating(clock.iso(now)) }],
    provides: { volumes: createVolumeBinding(services) },
  };
}
