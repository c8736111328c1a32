/**
 * The import rules `npm test` enforces (`npm run check:imports`): no cycles, type-only imports included,
 * and the layers import downward only — `src/http` and `src/store` know nothing of the domains, identity or
 * the operator API (what they need is handed to them: docs/architecture.md, "Layers").
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'A cycle (type-only imports count too) means two modules should be one, or share a third.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'infrastructure-knows-no-domain',
      severity: 'error',
      comment: 'src/http and src/store are the layers below the domains: they are handed what they need.',
      from: { path: '^src/(http|store)/' },
      to: { path: '^src/(domains|identity|operator)/' },
    },
    {
      name: 'domains-meet-through-contracts',
      severity: 'error',
      comment: 'A domain reaches another only through src/domains/contracts.ts (services.resources).',
      from: { path: '^src/domains/([^/]+)/' },
      to: { path: '^src/domains/[^/]+/', pathNot: '^src/domains/$1/' },
    },
    {
      name: 'client-is-standalone',
      severity: 'error',
      comment: 'opencomb/client runs in browsers and other processes: it knows the catalog and nothing of the server.',
      from: { path: '^src/client/' },
      to: { path: '^src/', pathNot: '^src/(client|catalog)/' },
    },
    {
      name: 'cli-speaks-through-the-client',
      severity: 'error',
      comment: 'comb reaches the server over HTTP through opencomb/client, never its code.',
      from: { path: '^src/cli/' },
      to: { path: '^src/', pathNot: '^src/(cli|client|catalog)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports are edges too (a type-only cycle still ties two modules together).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    includeOnly: '^src/',
  },
};
