/**
 * A part of the server: one domain (`src/domains/<name>/index.ts`), identity, or the operator API.
 * `src/app.ts` builds the server from one ordered list of modules; everything a module adds to the server
 * is declared here instead of being registered as a side effect.
 */
import type { DueTask } from './clock.ts';
import type { Resources } from './domains/contracts.ts';
import type { Route } from './http/route.ts';
import type { Services } from './services.ts';

export interface Module {
  readonly name: string;
  readonly routes: Route[];
  /**
   * Work the clock runs whenever time moves (transitions, billing), in the order of the module list, then
   * of this list: a module's tasks can rely on the tasks of the modules listed before it.
   */
  readonly dueTasks?: ReadonlyArray<{ name: string; run: DueTask }>;
  /** The contracts this module implements for other domains (`services.resources`, domains/contracts.ts). */
  readonly provides?: Partial<Resources>;
  /** Operator reset (`POST /_opencomb/reset`), after every table was emptied: drop in-memory configuration. */
  reset?(): Promise<void> | void;
  /** The store's contents were replaced (reset, snapshot restore): drop every cache derived from them. */
  storeChanged?(): void;
}

/**
 * Builds a module for one server. `services.resources` already holds the contracts provided by the
 * modules listed before this one.
 */
export type ModuleFactory = (services: Services) => Module;
