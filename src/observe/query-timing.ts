/**
 * Times every store query for `/metrics`: a Kysely plugin sees a query when it is compiled and its result
 * when it arrives; both carry the same query id. A query that fails never reports a result — its start
 * is then simply dropped with its id (a WeakMap holds nothing alive).
 */
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

const KINDS: Record<string, string> = {
  SelectQueryNode: 'select', InsertQueryNode: 'insert', UpdateQueryNode: 'update', DeleteQueryNode: 'delete', RawNode: 'raw',
};

export class QueryTimingPlugin implements KyselyPlugin {
  private readonly started = new WeakMap<object, { kind: string; at: number }>();

  constructor(private readonly report: (kind: string, ms: number) => void) {}

  transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
    this.started.set(queryId, { kind: KINDS[node.kind] ?? 'other', at: performance.now() });
    return node;
  }

  async transformResult({ result, queryId }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const start = this.started.get(queryId);
    if (start) this.report(start.kind, performance.now() - start.at);
    return result;
  }
}
