/** Layer rules: decisions in domain, plumbing in shared, services never reach into each other. */
const io =
  '^(node:)?(fs|fs/promises|net|http|https|http2|dgram|dns|child_process|cluster|worker_threads|tls|readline|os|process|timers)$';
const ioPackages =
  '(^|/)node_modules/(pg|pg-.*|ioredis|express|pino|prom-client|dotenv|@electric-sql|@alpacahq|axios|node-fetch|undici|rss-parser|ws)/';

module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'packages/domain holds pure decisions: no I/O, no network, no database, no web framework.',
      severity: 'error',
      from: { path: '^packages/domain/src' },
      to: { pathNot: '^packages/domain/', path: `${ioPackages}|${io}` },
    },
    {
      name: 'domain-depends-on-nothing-of-ours',
      severity: 'error',
      from: { path: '^packages/domain/src' },
      to: { path: '^(packages/(shared|market-sim)|services)/' },
    },
    {
      name: 'domain-no-io-builtins',
      severity: 'error',
      from: { path: '^packages/domain/src' },
      to: { dependencyTypes: ['core'], path: io },
    },
    {
      name: 'shared-never-imports-a-service',
      severity: 'error',
      from: { path: '^packages/shared/' },
      to: { path: '^(services/|packages/market-sim/)' },
    },
    {
      name: 'no-service-imports-another-service',
      comment:
        'Services talk over HTTP through the typed clients in packages/shared, never by importing each other. ' +
        'Tests may start another service (its main) to run against the real thing end to end.',
      severity: 'error',
      from: { path: '^services/([^/]+)/src/' },
      to: { path: '^services/([^/]+)/', pathNot: '^services/$1/' },
    },
    {
      name: 'services-do-not-import-the-simulator',
      comment: 'Services only know URLs; the simulator is wired in by the launcher and tests.',
      severity: 'error',
      from: { path: '^services/[^/]+/src/' },
      to: { path: '^packages/market-sim/' },
    },
    {
      name: 'market-data-imports-no-service-or-simulator',
      comment: 'Market data is a library the services use: it knows providers by URL, not the simulator.',
      severity: 'error',
      from: { path: '^packages/market-data/src/' },
      to: { path: '^(services/|packages/market-sim/)' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
    exclude: { path: '(^|/)(dist|data)/' },
  },
};
