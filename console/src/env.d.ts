/** Vite bundles the stylesheet imported by main.tsx. */
declare module '*.css';

/** V8's (Chromium's and Node's) extension, which the catalog's error class uses. */
interface ErrorConstructor {
  stackTraceLimit: number;
}
