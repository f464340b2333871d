import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { lifecycle } from '../../src/http';
import { captureLogs } from './things.fixture';

const here = path.dirname(fileURLToPath(import.meta.url));
const workspaceRoot = path.resolve(here, '../../../..');
const childScript = path.join(here, 'fixtures/lifecycle.child.ts');

interface Child {
  proc: ChildProcess;
  lines: Array<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitFor(msg: string): Promise<void>;
}

const children: ChildProcess[] = [];
afterAll(() => {
  for (const proc of children.splice(0)) if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
});

function startChild(mode: string): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', childScript, mode], {
    cwd: workspaceRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(proc);
  const lines: Array<Record<string, unknown>> = [];
  const waiters: Array<{ msg: string; resolve: () => void }> = [];
  let buffer = '';
  let stderr = '';
  proc.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  proc.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = JSON.parse(buffer.slice(0, nl)) as Record<string, unknown>;
      buffer = buffer.slice(nl + 1);
      lines.push(line);
      for (const w of waiters.filter((w) => w.msg === line.msg)) w.resolve();
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    proc,
    lines,
    exited,
    waitFor: (msg) =>
      lines.some((l) => l.msg === msg)
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            waiters.push({ msg, resolve });
            void exited.then(() => reject(new Error(`exited before "${msg}"; stderr: ${stderr}`)));
          }),
  };
}

// Each case starts its own process; they run side by side to keep the file quick.
describe.concurrent('lifecycle on a signal (real process)', { timeout: 60_000 }, () => {
  it('runs every step in order on SIGTERM, logs a failing one, then exits 0', async () => {
    const child = startChild('steps');
    await child.waitFor('ready');
    child.proc.kill('SIGTERM');
    expect(await child.exited).toEqual({ code: 0, signal: null });
    const messages = child.lines.map((l) => l.msg);
    expect(messages).toEqual(['ready', 'shutting down', 'step one', 'shutdown step failed', 'step three', 'stopped']);
    const failed = child.lines.find((l) => l.msg === 'shutdown step failed');
    expect(failed).toMatchObject({ level: 'error', step: 'closeServer', err: { message: 'server close failed' } });
    expect(child.lines.find((l) => l.msg === 'shutting down')).toMatchObject({ signal: 'SIGTERM' });
  });

  it('exits at once with 1 on a second signal while a step hangs', async () => {
    const child = startChild('hang');
    await child.waitFor('ready');
    child.proc.kill('SIGINT');
    await child.waitFor('shutting down');
    child.proc.kill('SIGTERM');
    expect(await child.exited).toEqual({ code: 1, signal: null });
    expect(child.lines.at(-1)).toMatchObject({ level: 'warn', msg: 'second signal, exiting now', signal: 'SIGTERM' });
  });

  it('exits 1 when the steps outlast the timeout', async () => {
    const child = startChild('timeout');
    await child.waitFor('ready');
    child.proc.kill('SIGTERM');
    expect(await child.exited).toEqual({ code: 1, signal: null });
    expect(child.lines.at(-1)).toMatchObject({
      level: 'error',
      msg: 'shutdown did not finish in time, exiting',
      timeoutMs: 200,
    });
  });
});

describe.concurrent('crash handlers (real process)', { timeout: 60_000 }, () => {
  it('log an unhandled rejection, without secrets, and exit 1', async () => {
    const child = startChild('rejection');
    expect(await child.exited).toEqual({ code: 1, signal: null });
    const fatal = child.lines.find((l) => l.level === 'fatal');
    expect(fatal).toMatchObject({
      msg: 'unhandled promise rejection',
      err: { message: 'lost promise at postgres://app:[Redacted]@db/catalyst' },
    });
    expect(JSON.stringify(child.lines)).not.toContain('hunter2');
  });

  it('log an uncaught exception with its stack and exit 1', async () => {
    const child = startChild('exception');
    expect(await child.exited).toEqual({ code: 1, signal: null });
    const fatal = child.lines.find((l) => l.level === 'fatal') as {
      msg: string;
      err: { message: string; stack: string };
    };
    expect(fatal.msg).toBe('uncaught exception');
    expect(fatal.err.message).toBe('thrown in a timer');
    expect(fatal.err.stack).toContain('lifecycle.child.ts');
  });
});

describe('lifecycle.stop', () => {
  it('runs the steps once, in order, without exiting, and keeps going past a failing step', async () => {
    const { log, lines } = captureLogs();
    const ran: string[] = [];
    const exits: number[] = [];
    const handle = lifecycle(
      log,
      [
        () => {
          ran.push('a');
        },
        () => {
          throw new Error('b broke');
        },
        async () => {
          await new Promise((r) => setTimeout(r, 5));
          ran.push('c');
        },
      ],
      { signals: ['SIGUSR2'], exit: (code) => exits.push(code) },
    );
    const listenersBefore = process.listenerCount('SIGUSR2');
    const first = handle.stop();
    expect(handle.stop()).toBe(first);
    await first;
    expect(ran).toEqual(['a', 'c']);
    expect(exits).toEqual([]);
    expect(lines.filter((l) => l.msg === 'shutdown step failed')).toMatchObject([
      { step: '#2', err: { message: 'b broke' } },
    ]);
    expect(process.listenerCount('SIGUSR2')).toBe(listenersBefore - 1);
  });
});
