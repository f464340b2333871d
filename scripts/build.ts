/**
 * Compiles every service to plain JavaScript for the container images: one ESM bundle per service
 * at services/<name>/dist/main.js. Workspace packages are bundled in; npm dependencies stay
 * external and must be listed in the service's own package.json (checked here), so that
 * `pnpm deploy --prod` installs exactly what the bundle imports.
 */
import fs from 'node:fs';
import path from 'node:path';
import { builtinModules } from 'node:module';
import { build, type Plugin } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const only = process.argv.slice(2);
const services = fs
  .readdirSync(path.join(root, 'services'))
  .filter((s) => fs.existsSync(path.join(root, 'services', s, 'src', 'main.ts')))
  .filter((s) => only.length === 0 || only.includes(s));

const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

function packageName(spec: string): string {
  return spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
}

/** Bundle our own workspace packages; leave every npm package external, and record which. */
function externals(seen: Set<string>): Plugin {
  return {
    name: 'catalyst-externals',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (builtins.has(args.path)) return { path: args.path, external: true };
        if (args.path.startsWith('@catalyst/')) return undefined;
        seen.add(packageName(args.path));
        return { path: args.path, external: true };
      });
    },
  };
}

let failed = false;
for (const service of services) {
  const dir = path.join(root, 'services', service);
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  const seen = new Set<string>();
  const started = performance.now();
  await build({
    entryPoints: [path.join(dir, 'src', 'main.ts')],
    outfile: path.join(dir, 'dist', 'main.js'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [externals(seen)],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  const missing = [...seen].filter((d) => !pkg.dependencies?.[d]);
  const ms = Math.round(performance.now() - started);
  if (missing.length > 0) {
    failed = true;
    console.error(
      `✗ ${service}: the bundle imports ${missing.join(', ')} but services/${service}/package.json does not list them`,
    );
  } else {
    console.log(`✓ ${service} → services/${service}/dist/main.js (${ms} ms, external: ${[...seen].sort().join(', ')})`);
  }
}
if (failed) process.exit(1);
