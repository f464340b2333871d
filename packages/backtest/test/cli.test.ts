import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultBacktestConfig, runBacktest } from '@catalyst/domain';
import { afterAll, describe, expect, it } from 'vitest';
import { parseArgs, simSource } from '../src';

const root = path.resolve(import.meta.dirname, '../../..');
const main = path.join(root, 'scripts/backtest.ts');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'backtest-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', main, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: '' },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('pnpm backtest (as a child process)', () => {
  it('when the range is inverted, then it says so and exits 2', () => {
    const r = cli('--from', '2026-01-09', '--to', '2026-01-05');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the range is empty or inverted: --to 2026-01-05 is before --from 2026-01-09');
    expect(r.stderr).toContain('Usage: pnpm backtest');
  });

  it('when arguments are missing, unknown or malformed, then it exits 2 with the reason', () => {
    expect(cli('--from', '2026-01-05').stderr).toContain('--from and --to are required');
    expect(cli('--from', '2026-01-05', '--to', '2026-01-05', '--speed', '3').stderr).toContain(
      'unknown argument "--speed"',
    );
    const bad = cli('--from', '2026-02-30', '--to', '2026-03-01');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--from 2026-02-30 is not a date');
    expect(cli('--from', '2026-01-05', '--to', '2026-01-05', '--source', 'ftp').stderr).toContain(
      '--source must be sim, db',
    );
    expect(cli('--from', '2026-01-05', '--to', '2026-01-05', '--symbols', 'NOPE1').code).toBe(2);
    expect(cli('--from', '2026-01-05', '--to', '2026-01-05', '--source', 'db').stderr).toContain('needs DATABASE_URL');
  });

  it('when a CSV file is bad, then it names the line and column and exits 1 without a stack trace', () => {
    const dir = path.join(tmp, 'bad');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'bars.csv'), 't,symbol,o,h,l,c,v\n2026-01-05T14:30:00Z,ACME,10,x,9,10,1\n');
    const r = cli('--from', '2026-01-05', '--to', '2026-01-05', '--source', `csv:${dir}`);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('backtest: bars.csv line 2, column h: "x" is not a positive number');
  });

  it('replays a day of the simulator: prints the report, draws progress lines, writes JSON and HTML', () => {
    const json = path.join(tmp, 'out.json');
    const html = path.join(tmp, 'out.html');
    const r = cli('--from', '2026-01-05', '--to', '2026-01-05', '--seed', '42', '--json', json, '--html', html);
    expect(r.stderr).not.toMatch(/Error|at .*\.ts:/);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Backtest 2026-01-05T05:00:00.000Z → 2026-01-06T05:00:00.000Z');
    expect(r.stdout).toMatch(/net P&L\s+\$-?\d+\.\d\d/);
    expect(r.stdout).toMatch(/max drawdown/);
    // Not a terminal: plain progress lines with the percentage and the ETA, then the total.
    expect(r.stderr).toMatch(/\] +\d+% +[\d,]+ events +ETA/);
    expect(r.stderr).toMatch(/100%.*done in/);
    const report = JSON.parse(fs.readFileSync(json, 'utf8'));
    expect(report.summary.from).toBe('2026-01-05T05:00:00.000Z');
    expect(report.counts.bars).toBeGreaterThan(10_000);
    expect(report.counts.signals).toBeGreaterThan(0);
    expect(r.stdout).toContain(`net P&L        $${report.summary.netPnl}`);
    const page = fs.readFileSync(html, 'utf8');
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('<svg');
    expect(page).not.toMatch(/<script|src=|href=/);
  });
});

describe('parseArgs', () => {
  it('reads dates as New York trading dates, --to included', () => {
    const o = parseArgs(['--from', '2026-07-06', '--to', '2026-07-06', '--symbols', 'abc,DEF']);
    expect(o).toMatchObject({ from: Date.parse('2026-07-06T04:00:00Z'), to: Date.parse('2026-07-07T04:00:00Z') });
    expect(o).toMatchObject({ symbols: ['ABC', 'DEF'], source: 'sim', seed: 42 });
  });
});

describe('a simulator replay', () => {
  it('is deterministic: the same seed and range give the same result hash', () => {
    const from = Date.parse('2026-01-05T05:00:00Z');
    const to = Date.parse('2026-01-06T05:00:00Z');
    const hash = () => {
      const data = simSource({ seed: 42, from, to, universe: 40, warmupDays: 1 });
      const config = defaultBacktestConfig(from, to, {
        warmup: data.warmup,
        assets: data.assets,
        sourceQuality: data.sourceQuality,
      });
      const result = runBacktest(data.events(), config);
      return createHash('sha256').update(JSON.stringify(result)).digest('hex');
    };
    expect(hash()).toBe(hash());
  });
});
