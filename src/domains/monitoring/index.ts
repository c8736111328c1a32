/** The performance monitoring domain (monitoring.md): reads the microservices' workloads, stores nothing. */
import type { Module } from '../../module.ts';
import type { Services } from '../../services.ts';
import { monitoringRoutes } from './routes.ts';

/** Listed after microservices, which provides the workloads it reads. */
export function monitoringModule(_services: Services): Module {
  return { name: 'monitoring', routes: monitoringRoutes };
}
