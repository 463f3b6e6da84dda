// The module check (`npm run check`): modules under src/modules depend in one direction and see
// each other only through their index.ts. See docs/architecture.md, "Modules and their arrows".
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-module-cycle',
      severity: 'error',
      comment:
        'A cycle between modules: move the code, or let the lower module emit an event (a registry ' +
        'in src/common) that the higher one handles.',
      scope: 'folder',
      from: { path: '^src/modules/[^/]+$' },
      to: { path: '^src/modules/[^/]+$', circular: true },
    },
    {
      name: 'through-index-only',
      severity: 'error',
      comment: 'Import another module through its index.ts (its public face), not its files.',
      from: { path: '^src/modules/([^/]+)/' },
      to: {
        path: '^src/modules/[^/]+/',
        pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'],
      },
    },
    {
      name: 'app-through-index-only',
      severity: 'error',
      comment: 'Outside src/modules, a module is imported through its index.ts too.',
      from: { path: '^src/(?!modules/|cli/)' },
      to: { path: '^src/modules/[^/]+/(?!index\\.ts$)' },
    },
    {
      name: 'cli-through-index-or-cli',
      severity: 'error',
      comment:
        "The CLI imports a module through its index.ts, or its cli.ts (the module's commands).",
      from: { path: '^src/cli/' },
      to: { path: '^src/modules/[^/]+/(?!index\\.ts$|cli\\.ts$)' },
    },
  ],
  options: {
    includeOnly: '^src/',
    exclude: { path: '\\.(int-|e2e-)?spec\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
  },
};
