/**
 * Error-path coverage (docs/coverage.md): for each operation of the public API, how many answers it gave,
 * by code, and how many of them fault injection produced. The counts live in a `CoverageCounts` table
 * whose cells are fixed in advance — operations × catalog codes, plus one row for requests that reached no
 * operation — so memory stays bounded whatever the traffic.
 */
import { byCode, entry } from '../catalog/index.ts';
import type { Answer } from '../http/observe.ts';
import { routeErrorCodes } from '../http/openapi.ts';
import type { Route } from '../http/route.ts';

/**
 * Where the counts are kept: this process's memory (`MemoryCounts`), or a store replicas share. A cell is a
 * short string (`<operationId>|<code or ok>|<i when injected>`), so a shared store can keep them as hash
 * fields (one `HINCRBY` per answer).
 */
export interface CoverageCounts {
  /** One more answer in this cell (never waits: recording must not slow the answer down). */
  add(cell: string): void;
  /** Every cell answered at least once since the start or the last clear, with its count. */
  read(): Promise<Map<string, number>>;
  clear(): Promise<void>;
}

export class MemoryCounts implements CoverageCounts {
  private readonly cells = new Map<string, number>();

  add(cell: string): void {
    this.cells.set(cell, (this.cells.get(cell) ?? 0) + 1);
  }

  async read(): Promise<Map<string, number>> {
    return new Map(this.cells);
  }

  async clear(): Promise<void> {
    this.cells.clear();
  }

  /** Cells in use (the bound is `Coverage.maxCells`). */
  get size(): number {
    return this.cells.size;
  }
}

/** An operation the report covers: a route of the public API and the codes it declares (`x-error-codes`). */
export interface Operation {
  id: string;
  method: string;
  path: string;
  declared: number[];
}

/** The row of requests that reached no operation (unknown paths, protocol-level answers). */
export const UNROUTED = '-';
const SUCCESS = 'ok';

export function cellOf(operation: string, code: number | undefined, injected: boolean): string {
  return `${operation}|${code ?? SUCCESS}${injected ? '|i' : ''}`;
}

export function parseCell(cell: string): { operation: string; code: number | undefined; injected: boolean } {
  const [operation, code, injected] = cell.split('|');
  return { operation: operation!, code: code === SUCCESS ? undefined : Number(code), injected: injected === 'i' };
}

/**
 * Only the public API is covered: the operator API and the server's own endpoints are not what a client
 * under test calls (and fault rules never apply to the operator API).
 */
export function coveredOperations(routes: readonly Route[]): Operation[] {
  return routes
    .filter(isCovered)
    .map((route) => ({ id: route.operationId, method: route.method, path: route.path, declared: routeErrorCodes(route).map((name) => entry(name).code) }));
}

function isCovered(route: Route): boolean {
  return route.auth === 'token' || route.auth === 'none';
}

export class Coverage {
  private declared: Operation[] | undefined;
  private readonly covered: Set<string>;

  constructor(private readonly routes: readonly Route[], readonly counts: CoverageCounts = new MemoryCounts()) {
    this.covered = new Set(routes.filter(isCovered).map((route) => route.operationId));
  }

  /**
   * The operations the report covers, with the codes each declares: worked out when a report first asks
   * (every route's schemas are walked), not by the first answer counted, which is a cold start's first request.
   */
  get operations(): Operation[] {
    return (this.declared ??= coveredOperations(this.routes));
  }

  /**
   * The most cells the table can hold: per row (each operation, and the unrouted row) a success cell and
   * one cell per catalog code, each plain and injected. Every answer's code is a catalog code.
   */
  maxCells(catalogSize: number): number {
    return (this.operations.length + 1) * (catalogSize + 1) * 2;
  }

  record(answer: Answer): void {
    // Answers of the operator API and of the server's own endpoints are not counted at all.
    const id = answer.route ? answer.route.operationId : UNROUTED;
    if (answer.route && !this.covered.has(id)) return;
    // A code outside the catalog cannot happen (every error is an ApiError); if it ever did, it would not grow the table.
    if (answer.code !== undefined && !byCode(answer.code)) return;
    this.counts.add(cellOf(id, answer.code, answer.injected));
  }

  clear(): Promise<void> {
    return this.counts.clear();
  }
}
