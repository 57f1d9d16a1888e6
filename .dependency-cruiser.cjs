/**
 * The layering of src/ (README, "How the code is laid out"), checked by test/app/architecture.test.ts:
 *   platform  ← imports nothing of ours but platform
 *   core      ← platform
 *   features  ← platform, core, and other features through their index.ts only
 *   app       ← everything (the composition root)
 * Folder cycles are refused at every level, and file cycles inside src/.
 * Errors: services throw DomainError (a catalogued code, no HTTP status); ProblemException (an HTTP
 * status) belongs to the edge only, where a request is answered.
 */
const LAYERS = '(app|core|platform)';

/** Where a request is answered: controllers, guards, interceptors, pipes, the HTTP plumbing and the auth edge. */
const EDGE = [
  '\\.controllers?\\.ts$',
  '\\.guard\\.ts$',
  '\\.interceptor\\.ts$',
  '\\.pipe\\.ts$',
  '^src/platform/http/',
  '^src/core/auth/',
  // Answers GET /metrics on its own port, outside Nest, so it shapes its 401 itself.
  '^src/platform/metrics/metrics-endpoint\\.ts$',
];

module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycles',
      comment: 'Two folders that import each other are one module in disguise: merge them or move the shared part down a layer.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^(src|tools|gpu)/' },
      to: { circular: true },
    },
    {
      name: 'no-file-cycles',
      comment: 'Two files that import each other (directly or round a loop) cannot be read, tested or moved apart: move what both need into a third file.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'platform-imports-platform-only',
      comment: 'platform/ is the plumbing every module uses; it must not know any feature, core or the app.',
      severity: 'error',
      from: { path: '^src/platform/' },
      to: { path: '^(src|tools)/', pathNot: '^src/platform/' },
    },
    {
      name: 'core-imports-platform-only',
      comment: 'core/ (principal, limits, auth guard and decorators, key-verifier contract) is shared by every feature, so it may use platform only.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^(src|tools)/', pathNot: '^src/(core|platform)/' },
    },
    {
      name: 'features-use-each-other-through-index',
      comment: "A feature imports another feature only through that feature's index.ts (its public surface).",
      severity: 'error',
      from: { path: `^src/([^/]+)/`, pathNot: `^src/${LAYERS}/` },
      to: { path: '^src/[^/]+/', pathNot: [`^src/${LAYERS}/`, '^src/$1/', '^src/[^/]+/index\\.ts$'] },
    },
    {
      name: 'only-the-app-imports-the-app',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/app/' },
      to: { path: '^src/app/' },
    },
    {
      name: 'src-does-not-import-tools',
      comment: 'tools/ (cli, dev) and gpu/ (the GPU backend server) are not the service; the service never needs them.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(tools|gpu)/' },
    },
    {
      name: 'problem-exception-only-at-the-edge',
      comment:
        'Services and everything else throw DomainError with a catalogued code (the catalogue gives the status); ProblemException is for controllers, guards, interceptors, pipes, platform/http and core/auth. Importing its types (FieldProblem) is fine.',
      severity: 'error',
      from: { path: '^src/', pathNot: EDGE },
      to: { path: '^src/platform/http/problem\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
