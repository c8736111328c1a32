// prom-client publishes types for its index only; src/observe/prom.ts gives these files the index's types.
declare module 'prom-client/lib/defaultMetrics.js' {
  const value: unknown;
  export default value;
}
declare module 'prom-client/lib/gauge.js' {
  const value: unknown;
  export default value;
}
declare module 'prom-client/lib/histogram.js' {
  const value: unknown;
  export default value;
}
declare module 'prom-client/lib/registry.js' {
  const value: unknown;
  export default value;
}
