/**
 * Throughput of `POST /analyze`'s path on one core: analyzeNews (tickers + sentiment + catalyst)
 * over seeded, template-generated headlines (half with a summary, some with provider symbols)
 * against a 10,000-asset index; also each part alone and the index build. Target: ≥ 20,000
 * headlines/s for the whole path, judged by CPU time (the wall clock is printed too).
 *
 *   pnpm exec tsx packages/domain/bench/analyze.bench.ts [headlines] [rounds]
 */
import { analyzeNews } from '../src/news/analyze';
import { classifyNewsCatalyst } from '../src/news/catalyst';
import { scoreSentiment } from '../src/news/sentiment';
import { createTickerIndex, extractTickers } from '../src/news/tickers';
import type { AnalyzeInput, Asset } from '../src/news/types';

const HEADLINES = Number(process.argv[2] ?? 20_000);
const ROUNDS = Number(process.argv[3] ?? 5);
const ASSETS = 10_000;
const TARGET_PER_SECOND = 20_000;

/** mulberry32: the same headlines on every run. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rnd = seeded(20_240_722);
const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));

const STARTS = [
  'Bri',
  'Kor',
  'Vel',
  'Zan',
  'Mor',
  'Tal',
  'Quin',
  'Sol',
  'Dra',
  'Fen',
  'Hal',
  'Lum',
  'Nex',
  'Or',
  'Pra',
  'Sev',
  'Tor',
  'Ul',
  'Vir',
  'Wex',
];
const MIDDLES = ['', 'a', 'e', 'o', 'i', 'an', 'er', 'is', 'ov', 'al'];
const ENDS = [
  'nova',
  'vex',
  'tara',
  'lix',
  'mont',
  'gen',
  'tera',
  'dyne',
  'quest',
  'sys',
  'cor',
  'ion',
  'ara',
  'ium',
  'eon',
];
const SUFFIXES = [
  'Therapeutics, Inc.',
  'Technologies Corp.',
  'Holdings Inc. Common Stock',
  'Bancorp',
  'Energy Ltd',
  'Brands plc',
  'Systems Inc. Class A Common Stock',
  'Pharmaceuticals',
  'Industries',
  'Software Inc.',
];

function makeAssets(n: number): Asset[] {
  const symbols = new Set<string>();
  const names = new Set<string>();
  const out: Asset[] = [];
  while (out.length < n) {
    const short = `${pick(STARTS)}${pick(MIDDLES)}${pick(ENDS)}`;
    const name = `${short} ${pick(SUFFIXES)}`;
    let symbol = '';
    do {
      symbol = '';
      const len = int(2, 4);
      for (let i = 0; i < len; i++) symbol += String.fromCharCode(65 + int(0, 25));
    } while (symbols.has(symbol));
    if (names.has(name)) continue;
    symbols.add(symbol);
    names.add(name);
    out.push({ symbol, name, exchange: pick(['NASDAQ', 'NYSE']) });
  }
  return out;
}

const shortName = (a: Asset) => a.name.split(' ')[0] as string;
const fullName = (a: Asset) => a.name.replace(/,? (?:Inc\.|Corp\.|Ltd|plc|Holdings Inc\.|Inc\.).*$/, '');

const TEMPLATES: ReadonlyArray<(a: Asset, b: Asset) => string> = [
  (a) =>
    `${fullName(a)} (${a.exchange}:${a.symbol}) Q${int(1, 4)} EPS $${(rnd() * 3).toFixed(2)} Beats $${(rnd() * 3).toFixed(2)} Estimate, Sales $${int(50, 900)}M Beat $${int(50, 900)}M Estimate`,
  (a) => `${shortName(a)} Falls Short of Q${int(1, 4)} Expectations`,
  (a) => `${fullName(a)} Raises FY${int(2024, 2027)} Revenue Guidance to $${int(100, 900)}M-$${int(100, 900)}M`,
  (a) => `${shortName(a)} Slashes Guidance, Citing Weaker Demand`,
  (a) => `FDA Approves ${shortName(a)} Drug for Migraine`,
  (a) => `${fullName(a)} Receives Complete Response Letter From FDA`,
  (a, b) => `${fullName(b)} to Acquire ${fullName(a)} for $${int(10, 90)} Per Share in Cash`,
  (a) => `Goldman Sachs Upgrades ${fullName(a)} to Buy, Raises Price Target to $${int(20, 400)}`,
  (a) => `${shortName(a)} Downgraded to Sell From Hold at Morgan Stanley`,
  (a) => `${fullName(a)} Prices $${int(20, 500)}M Public Offering of Common Stock`,
  (a) => `${fullName(a)} Board Authorizes $${int(50, 5000)}M Share Repurchase Program`,
  (a) => `${shortName(a)} Hit With Class Action Lawsuit Over Misleading Statements`,
  (a) => `${fullName(a)} Awarded $${int(10, 900)}M Contract by U.S. Army`,
  (a) => `${shortName(a)} CEO Jane Doe Steps Down Effective Immediately`,
  (a) => `$${a.symbol} shares halted pending news`,
  (a) => `${shortName(a)} recalls ${int(2, 900)},000 vehicles over brake issue`,
  (a) => `SEC opens probe into ${fullName(a)} accounting`,
  (a) => `${fullName(a)} files for Chapter 11 bankruptcy protection`,
  (a) => `${shortName(a)} unveils new product lineup at annual event`,
  (a) => `Is ${fullName(a)} (${a.symbol}) a Buy Right Now?`,
  (a, b) => `${shortName(a)} and ${shortName(b)} team up on AI cloud services`,
  () => `Stocks edge higher as investors await Fed decision`,
  () => `A new CEO for IT firm as AI and EV stocks rally`,
  (a) => `${shortName(a)} stock rises 4% in premarket trading`,
];

const SUMMARIES: ReadonlyArray<(a: Asset) => string> = [
  (a) =>
    `${fullName(a)} (${a.exchange}: ${a.symbol}) reported quarterly earnings ahead of the consensus estimate, on revenue that rose ${int(2, 30)}% from a year earlier.`,
  (a) =>
    `Shares of ${shortName(a)} were active on the news. The company said it expects the transaction to close in the second half of the year, subject to regulatory approvals.`,
  (a) =>
    `<p>${fullName(a)} &amp; its partners said demand remained strong.</p><p>Analysts expect margins to improve.</p>`,
];

function makeInputs(assets: readonly Asset[], n: number): AnalyzeInput[] {
  const out: AnalyzeInput[] = [];
  for (let i = 0; i < n; i++) {
    const a = pick(assets);
    const b = pick(assets);
    const input: AnalyzeInput = { headline: pick(TEMPLATES)(a, b) };
    if (rnd() < 0.5) input.summary = pick(SUMMARIES)(a);
    if (rnd() < 0.3) input.providerSymbols = rnd() < 0.8 ? [a.symbol] : [a.symbol, b.symbol, 'BTCUSD'];
    out.push(input);
  }
  return out;
}

/**
 * Headlines per second of `run` over `n` headlines, best and median of the rounds, by wall clock
 * and by this process's CPU time (which a busy machine distorts far less than the wall clock).
 */
function rate(label: string, n: number, run: () => void): number {
  const wall: number[] = [];
  const cpu: number[] = [];
  run(); // warm-up
  for (let r = 0; r < ROUNDS; r++) {
    const c = process.cpuUsage();
    const t = performance.now();
    run();
    wall.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
  }
  const per = (ms: number) => Math.round(n / (ms / 1000));
  const fmt = (x: number) => x.toLocaleString('en-US').padStart(9);
  wall.sort((x, y) => x - y);
  cpu.sort((x, y) => x - y);
  const bestCpu = cpu[0] as number;
  console.log(
    `${label.padEnd(28)} wall ${fmt(per(wall[0] as number))}/s best ${fmt(per(wall[Math.floor(ROUNDS / 2)] as number))}/s median | cpu ${fmt(per(bestCpu))}/s best ${fmt(per(cpu[Math.floor(ROUNDS / 2)] as number))}/s median | ${((bestCpu * 1000) / n).toFixed(1)} µs cpu each`,
  );
  return per(bestCpu);
}

const assets = makeAssets(ASSETS);
const builds: number[] = [];
let index = createTickerIndex(assets);
for (let r = 0; r < 3; r++) {
  const c = process.cpuUsage();
  index = createTickerIndex(assets);
  const used = process.cpuUsage(c);
  builds.push((used.user + used.system) / 1000);
}
console.log(
  `ticker index over ${ASSETS.toLocaleString('en-US')} assets: built in ${Math.min(...builds).toFixed(1)} ms of cpu (best of 3)`,
);

const inputs = makeInputs(assets, HEADLINES);
console.log(`${HEADLINES.toLocaleString('en-US')} headlines, ${ROUNDS} rounds after a warm-up; one core\n`);

let sink = 0;
rate('extractTickers', inputs.length, () => {
  for (const input of inputs) sink += extractTickers(index, input).length;
});
rate('scoreSentiment (headline)', inputs.length, () => {
  for (const input of inputs) sink += scoreSentiment(input.headline).score;
});
rate('classifyNewsCatalyst', inputs.length, () => {
  for (const input of inputs) sink += classifyNewsCatalyst(input)?.strength ?? 0;
});
const whole = rate('analyzeNews (whole path)', inputs.length, () => {
  for (const input of inputs) sink += analyzeNews(index, input).tickers.length;
});

const linked = inputs.filter((input) => analyzeNews(index, input).tickers.length > 0).length;
const classified = inputs.filter((input) => analyzeNews(index, input).catalyst !== null).length;
console.log(
  `\nlinked to a ticker: ${((100 * linked) / inputs.length).toFixed(1)}%, with a catalyst: ${((100 * classified) / inputs.length).toFixed(1)}% (checksum ${sink.toFixed(0)})`,
);
console.log(
  `target ${TARGET_PER_SECOND.toLocaleString('en-US')} headlines/s: ${whole >= TARGET_PER_SECOND ? 'met' : 'NOT met'} (${whole.toLocaleString('en-US')}/s by cpu time)`,
);
