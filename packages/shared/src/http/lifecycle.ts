import type { Logger } from '../logger';

export type ShutdownStep = () => Promise<void> | void;

export interface LifecycleOptions {
  /** Signals that start the shutdown; SIGTERM and SIGINT unless given. */
  signals?: readonly NodeJS.Signals[];
  /** Upper bound for all steps after a signal; then the process exits 1. 30 s unless given. */
  timeoutMs?: number;
  /** How the process ends; `process.exit` unless given. */
  exit?: (code: number) => void;
}

export interface Lifecycle {
  /** Runs the steps once, in order, without exiting (for tests and the launcher). */
  stop(): Promise<void>;
}

const defaultExit = (code: number): void => {
  process.exit(code);
};

/**
 * Exits once the logger's destination has written everything: an asynchronous destination
 * can otherwise lose or reorder the last lines, which are the ones that explain the exit.
 * The fallback timer is deliberately not unref'd so the exit happens even if flushing stalls.
 */
function exitAfterFlush(log: Logger, exit: (code: number) => void, code: number): void {
  let done = false;
  const finish = (): void => {
    if (done) return;
    done = true;
    clearTimeout(fallback);
    exit(code);
  };
  const fallback = setTimeout(finish, 1000);
  try {
    log.flush(() => finish());
  } catch {
    finish();
  }
}

/**
 * On SIGTERM or SIGINT runs the shutdown steps in order (a failing step is logged and the
 * next one still runs), then exits 0. A second signal exits at once.
 */
export function lifecycle(log: Logger, steps: readonly ShutdownStep[], opts: LifecycleOptions = {}): Lifecycle {
  const signals = opts.signals ?? ['SIGTERM', 'SIGINT'];
  const exit = opts.exit ?? defaultExit;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  let stopping: Promise<void> | undefined;
  let signalled = false;

  const detach = (): void => {
    for (const signal of signals) process.off(signal, onSignal);
  };

  async function runSteps(): Promise<void> {
    for (const [index, step] of steps.entries()) {
      try {
        await step();
      } catch (err) {
        log.error({ err, step: step.name || `#${index + 1}` }, 'shutdown step failed');
      }
    }
  }

  function stop(): Promise<void> {
    stopping ??= runSteps().finally(() => {
      if (!signalled) detach();
    });
    return stopping;
  }

  function onSignal(signal: NodeJS.Signals): void {
    if (signalled) {
      log.warn({ signal }, 'second signal, exiting now');
      exitAfterFlush(log, exit, 1);
      return;
    }
    signalled = true;
    log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      log.error({ timeoutMs }, 'shutdown did not finish in time, exiting');
      exitAfterFlush(log, exit, 1);
    }, timeoutMs);
    timer.unref();
    void stop().then(() => {
      clearTimeout(timer);
      detach();
      log.info('stopped');
      exitAfterFlush(log, exit, 0);
    });
  }

  for (const signal of signals) process.on(signal, onSignal);
  return { stop };
}

export interface CrashHandlerOptions {
  exit?: (code: number) => void;
}

/**
 * Logs an unhandled rejection or uncaught exception and exits 1: the process state is unknown,
 * so the orchestrator restarts it. Returns a function that removes the handlers.
 */
export function installCrashHandlers(log: Logger, opts: CrashHandlerOptions = {}): () => void {
  const exit = opts.exit ?? defaultExit;
  const onRejection = (reason: unknown): void => {
    log.fatal({ err: reason }, 'unhandled promise rejection');
    exitAfterFlush(log, exit, 1);
  };
  const onException = (err: Error): void => {
    log.fatal({ err }, 'uncaught exception');
    exitAfterFlush(log, exit, 1);
  };
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}
