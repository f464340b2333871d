import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

/** A child process of the fleet: its output goes to a log file, and the last lines are kept for errors. */
export interface ManagedProcess {
  name: string;
  pid: number;
  child: ChildProcess;
  logFile: string;
  /** The last lines the process wrote (stdout and stderr), for a failure message. */
  tail(lines?: number): string;
  /** Resolves with the exit code (or the signal's name) once the process has exited. */
  exited: Promise<number | string | null>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

const TAIL_BYTES = 16_384;

/** The end of a log file. */
function tailOf(file: string, lines: number): string {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const length = Math.min(size, TAIL_BYTES);
      const buf = Buffer.alloc(length);
      fs.readSync(fd, buf, 0, length, size - length);
      return buf.toString().split('\n').slice(-lines).join('\n');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '';
  }
}

/**
 * Starts a process in a process group of its own (so a stop reaches anything it forked), with the
 * given environment only: nothing of this process's environment leaks into a service unless passed.
 * Its stdout and stderr are the log file itself, not a pipe: Node's pipes are sockets, which a
 * process cannot reopen as /dev/stdout (nginx's `access_log /dev/stdout` does).
 */
export function spawnManaged(opts: {
  name: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  logFile: string;
}): ManagedProcess {
  const out = fs.openSync(opts.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(opts.command, opts.args, {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ['ignore', out, out],
      detached: true,
    });
  } finally {
    fs.closeSync(out);
  }
  let spawnError = '';
  const exited = new Promise<number | string | null>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal));
    child.on('error', (err) => {
      spawnError = `\n${String(err)}`;
      resolve(`spawn error: ${err.message}`);
    });
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    name: opts.name,
    pid: child.pid ?? -1,
    child,
    logFile: opts.logFile,
    tail: (lines = 30) => tailOf(opts.logFile, lines) + spawnError,
    exited,
    async stop(graceMs = 5_000) {
      if (!running() || child.pid === undefined) return;
      signalGroup(child.pid, 'SIGTERM');
      const done = await Promise.race([exited.then(() => true), delay(graceMs).then(() => false)]);
      if (!done) {
        signalGroup(child.pid, 'SIGKILL');
        await exited;
      }
    },
  };
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** A port the kernel says is free now (bound to 0 and released): good enough for a test's own servers. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Distinct free ports (the kernel may hand the same released port out twice in a row). */
export async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

/**
 * Polls `check` until it returns true; fails with `describe()` (e.g. the process's last output)
 * when the time is up or when `proc` has exited.
 */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  opts: { timeoutMs: number; intervalMs?: number; proc?: ManagedProcess },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    const proc = opts.proc;
    if (proc && (proc.child.exitCode !== null || proc.child.signalCode !== null)) {
      throw new Error(
        `${proc.name} exited (${proc.child.exitCode ?? proc.child.signalCode}) before ${what}:\n${proc.tail()}`,
      );
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${opts.timeoutMs} ms waiting for ${what}${proc ? `; ${proc.name} said:\n${proc.tail()}` : ''}`,
      );
    }
    await delay(opts.intervalMs ?? 200);
  }
}

/** True when GET url answers with the status. */
export async function answers(url: string, status = 200): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  await res.arrayBuffer();
  return res.status === status;
}
