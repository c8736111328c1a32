/**
 * Part of `npm run build`: replaces tsc's `dist/main.js` (the entry point `npm start` and the `opencomb`
 * command run) with one file holding the server and its pure-JavaScript dependencies. Node loads a few
 * hundred ES modules otherwise (Kysely alone is ~350 of them), which was about half the CPU time of a cold
 * start. The rest of dist/ stays as tsc wrote it, for `import 'opencomb'`.
 * External (loaded from node_modules at run time): the native SQLite binding, pino (its worker-thread
 * transports load files by path), and what is loaded only on demand (pg, ioredis, pino-pretty, swagger-ui-dist).
 */
import { chmodSync } from 'node:fs';
import { build } from 'esbuild';

await build({
  entryPoints: ['src/main.ts'],
  outfile: 'dist/main.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Whitespace only, a third of the bytes: Node compiles the whole file at every start (about a tenth of a
  // cold start's CPU). Names stay, so stack traces and profiles still name every function.
  minifyWhitespace: true,
  sourcemap: 'linked', // dist/main.js.map, for `node --enable-source-maps` when a stack's position matters
  external: ['better-sqlite3', 'pino', 'pg', 'pino-pretty', 'swagger-ui-dist', 'ioredis'],
  // Bundled CommonJS packages (find-my-way) call require(); an ES module has none of its own.
  banner: { js: "import { createRequire as createRequireForBundle } from 'node:module';\nconst require = createRequireForBundle(import.meta.url);" },
  logLevel: 'warning',
});
chmodSync('dist/main.js', 0o755);
