/**
 * The import-boundary lint (`npm run lint:layers`, part of `npm run lint`). docs/architecture.md explains each layer.
 *
 * Imports flow one way, top to bottom:
 *   index.ts (public API) → cli → render → vsm → metrics → traces → ingest → contracts → model → calendar → errors
 * A layer may import any layer below it, never one above. Two extra rules: render never imports ingest (it works
 * from report.json and the ingest summary in contracts alone), and synthetic (the demo/bench log generator) sits
 * beside ingest: it may import the base layers only, and only cli and index.ts may import it.
 * Type-only imports count (tsPreCompilationDeps), because an upward type import is still an upward dependency.
 */
const LAYERS = [
  { name: 'index', path: '^src/index\\.ts$' },
  { name: 'cli', path: '^src/cli/' },
  { name: 'render', path: '^src/render/' },
  { name: 'vsm', path: '^src/vsm/' },
  { name: 'metrics', path: '^src/metrics/' },
  { name: 'traces', path: '^src/traces/' },
  { name: 'ingest', path: '^src/ingest/' },
  { name: 'contracts', path: '^src/contracts/' },
  { name: 'model', path: '^src/model/' },
  { name: 'calendar', path: '^src/calendar/' },
  { name: 'errors', path: '^src/(errors|version)\\.ts$' },
];
const SYNTHETIC = '^src/synthetic/';

/** One rule per layer: nothing it imports may sit above it (or be synthetic, unless it is cli or index). */
const upward = LAYERS.slice(1).map((layer, index) => ({
  name: `layer-${layer.name}-no-upward-import`,
  comment: `${layer.name} may import only ${LAYERS.slice(index + 2).map((below) => below.name).join(', ') || 'nothing of src'} (docs/architecture.md)`,
  severity: 'error',
  from: { path: layer.path },
  to: { path: [...LAYERS.slice(0, index + 1).map((above) => above.path), ...(layer.name === 'cli' ? [] : [SYNTHETIC])] },
}));

module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'render-not-ingest',
      comment: 'render works from report.json and contracts/ingest-report.ts alone, never from a reader (docs/architecture.md)',
      severity: 'error',
      from: { path: '^src/render/' },
      to: { path: '^src/ingest/' },
    },
    {
      name: 'synthetic-base-only',
      comment: 'synthetic generates logs from the base layers only: contracts, model, calendar, errors (docs/architecture.md)',
      severity: 'error',
      from: { path: SYNTHETIC },
      to: { path: '^src/(index\\.ts|cli|render|vsm|metrics|traces|ingest)(/|$)' },
    },
    {
      name: 'no-circular',
      comment: 'modules that import each other cannot be understood or tested one at a time; move the shared part out',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    includeOnly: '^src/',
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
