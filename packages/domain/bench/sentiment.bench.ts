/**
 * Sentiment throughput on one core: headlines per CPU-second (and per wall-clock second, which a
 * busy machine lowers) for the tokenising pass alone, the rules
 * (tokens + rules), and the full blended scorer, over the hand-written headlines and, when it is on
 * this machine, the 9,543 texts of the financial-tweets-sentiment dataset. Also the time to
 * validate and expand the committed model.
 *
 *   pnpm exec tsx packages/domain/bench/sentiment.bench.ts [seconds per case]
 */
import fs from 'node:fs';
import { scoreSentiment } from '../src/news/sentiment';
import { loadSentimentModel } from '../src/news/sentiment-model';
import { scoreRules } from '../src/news/sentiment-rules';
import { tokenizeForSentiment } from '../src/news/sentiment-tokens';
import { MODEL_PATH, readHandwrittenHeadlines, readSentimentDataset } from '../scripts/sentiment-eval';

const SECONDS = Number(process.argv[2] ?? 1.5);

interface Rate {
  /** Per second of this process's CPU time: what one core does, even on a busy machine. */
  perCpuSecond: number;
  cpuMicros: number;
  /** Per second of wall-clock time. */
  perWallSecond: number;
}

function rate(texts: readonly string[], fn: (text: string) => unknown): Rate {
  let sink = 0;
  const pass = (): void => {
    for (const t of texts) if (fn(t) !== undefined) sink += 1;
  };
  // Warm up until the JIT has settled: a few hundred thousand calls.
  for (let warm = 0; warm < 300_000; warm += texts.length) pass();
  let done = 0;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  let elapsed = 0;
  while (elapsed < SECONDS * 1000) {
    pass();
    done += texts.length;
    elapsed = performance.now() - start;
  }
  const cpu = process.cpuUsage(cpuStart);
  const cpuMicros = cpu.user + cpu.system;
  if (sink === 0) throw new Error('nothing scored');
  return {
    perCpuSecond: (done / cpuMicros) * 1e6,
    cpuMicros: cpuMicros / done,
    perWallSecond: (done / elapsed) * 1000,
  };
}

const fileText = fs.readFileSync(MODEL_PATH, 'utf8');
const parsed: unknown = JSON.parse(fileText);
const loadStart = performance.now();
loadSentimentModel(parsed);
const loadMs = performance.now() - loadStart;
console.log(`model file ${(fileText.length / 1024).toFixed(0)} KiB; validate + expand ${loadMs.toFixed(1)} ms`);

const sets: [string, string[]][] = [['hand-written headlines', readHandwrittenHeadlines().map((x) => x.text)]];
const dataset = readSentimentDataset();
if (dataset !== null) sets.push(['financial-tweets-sentiment texts', dataset.map((x) => x.text)]);
else console.log('financial-tweets-sentiment not found: benchmarking the hand-written headlines only');

for (const [name, texts] of sets) {
  const chars = texts.reduce((n, t) => n + t.length, 0) / texts.length;
  console.log(`\n${name}: ${texts.length} texts, ${chars.toFixed(0)} characters on average`);
  const cases: [string, (t: string) => unknown][] = [
    ['tokenise', (t) => tokenizeForSentiment(t)],
    ['tokenise + rules', (t) => scoreRules(tokenizeForSentiment(t))],
    ['scoreSentiment (blend)', (t) => scoreSentiment(t)],
  ];
  for (const [label, fn] of cases) {
    const r = rate(texts, fn);
    const n = (x: number): string => Math.round(x).toLocaleString('en-US').padStart(10);
    console.log(
      `  ${label.padEnd(24)} ${n(r.perCpuSecond)} /CPU-s  ${r.cpuMicros.toFixed(2).padStart(6)} µs CPU each  (${n(r.perWallSecond)} /wall-s)`,
    );
  }
}
