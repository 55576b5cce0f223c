/**
 * iamsim's layers, checked by `npm run check` (dependency-cruiser over src/, tests excluded).
 * A module may import its own layer and the layers below it, never one above, and nothing may form a cycle.
 * docs/development.md ("Architecture") describes what each layer owns.
 *
 * Bottom to top; a folder of src/ per entry, several in one entry are peers that do not import each other.
 */
const LAYERS = [
  ['primitives', 'diagnostics', 'text', 'package.ts'], // shared primitives: ARNs, wildcards, positions, diagnostics, SARIF envelope
  ['protocol'], // AWS's protocols (Query, JSON) generated from AWS's service models
  ['catalog'], // AWS's service authorization reference (pure)
  ['policy'], // policy grammar, model, printing (pure)
  ['eval'], // the evaluator (pure)
  ['account'], // account model, import, stores
  ['authz'], // request assembly over an account, decisions
  ['simulate'], // SimulatePrincipalPolicy/SimulateCustomPolicy semantics, batches
  ['reason'], // Access Analyzer-style checks (symbolic)
  ['audit'], // exposure and escalation audit
  ['analyze'], // policy lint
  ['generate'], // policy generation
  ['workflows'], // notebook-platform workflows (plans, fixes)
  ['explain', 'iac'], // AccessDenied messages explained; infrastructure as code read into the model and diffed
  ['engine'], // the Engine object: owns the catalog, the caches, the reasoner, the store handle
  ['index.ts'], // the package's API
  ['server', 'web'], // shells: the HTTP server (and its console API), the browser console
  ['cli'], // shell: the command line (which may start the server)
];

const path = (name) => (name.endsWith('.ts') ? `^src/${name.replace('.', '\\.')}$` : `^src/${name}/`);
const above = (i) => LAYERS.slice(i + 1).flat().map(path);

const layerRules = LAYERS.flatMap((layer, i) =>
  layer
    .map((name) => ({ name, forbidden: [...above(i), ...layer.filter((peer) => peer !== name).map(path)] }))
    .filter(({ forbidden }) => forbidden.length > 0)
    .map(({ name, forbidden }) => ({
      name: `layer-${name.replace('.ts', '')}`,
      comment: `${name} may import only its own layer and the layers below it (see LAYERS)`,
      severity: 'error',
      from: { path: path(name) },
      to: { path: forbidden },
    })),
);

module.exports = {
  forbidden: [
    { name: 'no-circular', comment: 'no import cycles, type-only imports included', severity: 'error', from: {}, to: { circular: true } },
    { name: 'not-to-unresolvable', severity: 'error', from: {}, to: { couldNotResolve: true, dependencyTypesNot: ['core'] } },
    {
      name: 'layer-unknown',
      comment: 'every folder of src/ belongs to a layer: add a new one to LAYERS',
      severity: 'error',
      from: { path: '^src/', pathNot: LAYERS.flat().map(path) },
      to: {},
    },
    ...layerRules,
  ],
  options: {
    parser: 'swc',
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['\\.test\\.ts$', '^src/web/.*\\.d\\.ts$'] },
    includeOnly: '^src/',
  },
};
