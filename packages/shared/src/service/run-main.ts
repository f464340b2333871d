import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { ConfigError } from '../errors';
import { createLogger } from '../logger';
import { installCrashHandlers, lifecycle } from '../http';
import type { RunningService } from './boot';

/** True when `moduleUrl` is the file node was asked to run (`node dist/main.js`, `tsx src/main.ts`). */
export function isMainModule(moduleUrl: string): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  const self = fileURLToPath(moduleUrl);
  const resolved = path.resolve(entry);
  return resolved === self || resolved === self.replace(/\.ts$/, '') || resolved.replace(/\.[cm]?js$/, '.ts') === self;
}

/**
 * Runs a service as its own process: a bad configuration prints one line and exits 1;
 * SIGTERM/SIGINT stop it cleanly.
 */
export function runMain(service: string, start: () => Promise<RunningService>): void {
  const log = createLogger({ service, level: process.env.LOG_LEVEL ?? 'info' });
  installCrashHandlers(log);
  start().then(
    (running) => {
      lifecycle(log, [() => running.stop()]);
    },
    (err: unknown) => {
      if (err instanceof ConfigError) {
        console.error(err.message);
      } else {
        log.fatal({ err }, `${service} failed to start`);
      }
      process.exit(1);
    },
  );
}
