import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The console is plain Preact compiled by Vite's own esbuild JSX transform (no framework plugin), into
 * dist/console/, which the server answers at /console/ (src/operator/console.ts).
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  logLevel: 'warn',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: fileURLToPath(new URL('../dist/console/', import.meta.url)),
    emptyOutDir: true,
    // The server reads every asset as text: no inlined or binary files.
    assetsInlineLimit: 0,
    reportCompressedSize: false,
    target: 'es2022',
  },
});
