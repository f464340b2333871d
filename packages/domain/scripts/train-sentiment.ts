/**
 * Trains the sentiment model blended with the finance rules and reports how well it does.
 *
 *   pnpm exec tsx packages/domain/scripts/train-sentiment.ts           cross-validate, train, write the model
 *   pnpm exec tsx packages/domain/scripts/train-sentiment.ts --check   the same without writing
 *   pnpm exec tsx packages/domain/scripts/train-sentiment.ts --dev     4-fold CV over folds 1–4 only (for development)
 *   pnpm exec tsx packages/domain/scripts/train-sentiment.ts --tune    the hyper-parameter search (folds 1–4 only)
 *
 * Data: ../shared/datasets/financial-tweets-sentiment/train.csv (MIT; read in place, never copied).
 * Folds: FNV-1a(text) % 5. Fold 0 is held out: nothing was tuned on it (the lexicon was refined and
 * the hyper-parameters chosen by looking at folds 1–4 only) and the committed model is trained on
 * folds 1–4, so its fold-0 score is an honest estimate on unseen texts of that kind.
 *
 * Output: src/news/sentiment-model.json. Training is deterministic (full-batch Adam, no shuffling),
 * so the same data gives the same file byte for byte.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as prettier from 'prettier';
import { featureBuckets, RULE_FEATURE_COUNT, ruleFeatures } from '../src/news/sentiment-features';
import { loadSentimentModel, packSentimentModel, SENTIMENT_CLASSES } from '../src/news/sentiment-model';
import type { SentimentModel, SentimentModelFile } from '../src/news/sentiment-model';
import { scoreRules } from '../src/news/sentiment-rules';
import { scoreSentimentRules, scoreSentimentWith } from '../src/news/sentiment-score';
import { tokenizeForSentiment } from '../src/news/sentiment-tokens';
import type { SentimentLabel } from '../src/news/types';
import {
  DATASET_PATH,
  FOLDS,
  HANDWRITTEN_PATH,
  HELD_OUT_FOLD,
  MODEL_PATH,
  readHandwrittenHeadlines,
  readSentimentDataset,
  REPO_ROOT,
  sentimentMetrics,
} from './sentiment-eval';
import type { LabelledText, SentimentMetrics } from './sentiment-eval';

interface Hyper {
  bits: number;
  /** Buckets seen in fewer training texts than this get no weight. */
  minCount: number;
  l2: number;
  /** Class weight = (n / (3 · n_class)) ^ power: 0 is plain, 1 fully balanced. */
  classWeightPower: number;
  iterations: number;
  learningRate: number;
  useRules: boolean;
  /** The fixed prior on the rules applied when scoring (see SentimentModel.trust). */
  trust: number;
}

/**
 * Chosen on folds 1–4 only (fold 0 untouched), with the lexicon as it was at the time. l2, minCount
 * and classWeightPower: the best blend macro-F1 of the `--tune` grid (0.792). trust: with `--dev`,
 * the best macro-F1 among values that keep every phrase in test/news/sentiment.test.ts right —
 * 0 scored 0.792 but read "debt reduced by $300 million" as neutral; 0.5 scored 0.789, 1 scored 0.788.
 */
const HYPER: Omit<Hyper, 'useRules'> = {
  bits: 18,
  minCount: 1,
  l2: 1e-4,
  classWeightPower: 1,
  iterations: 300,
  learningRate: 0.05,
  trust: 0.5,
};
const PACK = { scale: 1000, minWeight: 0.01 };

interface Example extends LabelledText {
  /** Index into SENTIMENT_CLASSES. */
  y: number;
  buckets: Int32Array;
  rules: number[];
}

const classIndex = (label: SentimentLabel): number => SENTIMENT_CLASSES.indexOf(label);

function toExample(item: LabelledText, mask: number): Example {
  const tokens = tokenizeForSentiment(item.text);
  return {
    ...item,
    y: classIndex(item.label),
    buckets: Int32Array.from(featureBuckets(tokens, mask)),
    rules: ruleFeatures(scoreRules(tokens)),
  };
}

/** Full-batch Adam on class-weighted cross-entropy with L2; deterministic by construction. */
function train(examples: readonly Example[], hyper: Hyper): SentimentModel {
  const size = 1 << hyper.bits;
  const docFreq = new Int32Array(size);
  for (const ex of examples) {
    for (const b of new Set(ex.buckets)) docFreq[b] = (docFreq[b] as number) + 1;
  }
  const column = new Int32Array(size).fill(-1);
  let columns = 0;
  for (let b = 0; b < size; b += 1) if ((docFreq[b] as number) >= hyper.minCount) column[b] = columns++;
  const rows = examples.map((ex) =>
    Int32Array.from(Array.from(ex.buckets, (b) => column[b] as number).filter((c) => c >= 0)),
  );

  const counts = [0, 0, 0];
  for (const ex of examples) counts[ex.y] = (counts[ex.y] as number) + 1;
  const classWeight = counts.map((n) => (n === 0 ? 0 : (examples.length / (3 * n)) ** hyper.classWeightPower));
  let totalWeight = 0;
  for (const ex of examples) totalWeight += classWeight[ex.y] as number;

  // Parameters laid out as [columns × 3 | rules × 3 | bias 3].
  const ruleBase = columns * 3;
  const biasBase = ruleBase + RULE_FEATURE_COUNT * 3;
  const count = biasBase + 3;
  const theta = new Float64Array(count);
  const grad = new Float64Array(count);
  const m1 = new Float64Array(count);
  const m2 = new Float64Array(count);
  const beta1 = 0.9;
  const beta2 = 0.999;
  const logits = new Float64Array(3);

  for (let step = 1; step <= hyper.iterations; step += 1) {
    grad.fill(0);
    for (let e = 0; e < examples.length; e += 1) {
      const ex = examples[e] as Example;
      const cols = rows[e] as Int32Array;
      for (let c = 0; c < 3; c += 1) logits[c] = theta[biasBase + c] as number;
      for (const col of cols)
        for (let c = 0; c < 3; c += 1) logits[c] = (logits[c] as number) + (theta[col * 3 + c] as number);
      if (hyper.useRules) {
        for (let f = 0; f < RULE_FEATURE_COUNT; f += 1) {
          for (let c = 0; c < 3; c += 1)
            logits[c] = (logits[c] as number) + (ex.rules[f] as number) * (theta[ruleBase + f * 3 + c] as number);
        }
      }
      const top = Math.max(logits[0] as number, logits[1] as number, logits[2] as number);
      let sum = 0;
      for (let c = 0; c < 3; c += 1) {
        logits[c] = Math.exp((logits[c] as number) - top);
        sum += logits[c] as number;
      }
      const weight = (classWeight[ex.y] as number) / totalWeight;
      for (let c = 0; c < 3; c += 1) {
        const g = weight * ((logits[c] as number) / sum - (c === ex.y ? 1 : 0));
        grad[biasBase + c] = (grad[biasBase + c] as number) + g;
        for (const col of cols) grad[col * 3 + c] = (grad[col * 3 + c] as number) + g;
        if (hyper.useRules) {
          for (let f = 0; f < RULE_FEATURE_COUNT; f += 1) {
            grad[ruleBase + f * 3 + c] = (grad[ruleBase + f * 3 + c] as number) + g * (ex.rules[f] as number);
          }
        }
      }
    }
    for (let p = 0; p < biasBase; p += 1) grad[p] = (grad[p] as number) + hyper.l2 * (theta[p] as number);
    const lrStep = (hyper.learningRate * Math.sqrt(1 - beta2 ** step)) / (1 - beta1 ** step);
    for (let p = 0; p < count; p += 1) {
      const g = grad[p] as number;
      m1[p] = beta1 * (m1[p] as number) + (1 - beta1) * g;
      m2[p] = beta2 * (m2[p] as number) + (1 - beta2) * g * g;
      theta[p] = (theta[p] as number) - (lrStep * (m1[p] as number)) / (Math.sqrt(m2[p] as number) + 1e-8);
    }
  }

  const weights = new Float32Array(size * 3);
  for (let b = 0; b < size; b += 1) {
    const col = column[b] as number;
    if (col >= 0) for (let c = 0; c < 3; c += 1) weights[b * 3 + c] = theta[col * 3 + c] as number;
  }
  return {
    bits: hyper.bits,
    mask: size - 1,
    bias: theta.slice(biasBase, biasBase + 3),
    rules: hyper.useRules ? theta.slice(ruleBase, biasBase) : new Float64Array(RULE_FEATURE_COUNT * 3),
    weights,
    trust: hyper.useRules ? hyper.trust : 0,
  };
}

/** The model as it will ship: rounded and pruned, then loaded back. */
function shipped(model: SentimentModel, training?: unknown): { file: SentimentModelFile; model: SentimentModel } {
  const file = packSentimentModel(model, { ...PACK, training });
  return { file, model: loadSentimentModel(JSON.parse(JSON.stringify(file))) };
}

type Scorer = (text: string) => SentimentLabel;
const byModel =
  (model: SentimentModel): Scorer =>
  (text) =>
    scoreSentimentWith(text, model).label;
const byRules: Scorer = (text) => scoreSentimentRules(text).label;
const alwaysNeutral: Scorer = () => 'neutral';

function evaluate(scorer: Scorer, items: readonly LabelledText[]): SentimentMetrics {
  return sentimentMetrics(
    items.map((x) => x.label),
    items.map((x) => scorer(x.text)),
  );
}

const METHODS = ['always neutral', 'rules alone', 'model alone', 'blend (shipped)'] as const;
type Method = (typeof METHODS)[number];

/** k-fold over the given folds: each round trains on the others and scores the one left out. */
function crossValidate(
  examples: readonly Example[],
  folds: readonly number[],
  hyper: Omit<Hyper, 'useRules'>,
): Map<Method, SentimentMetrics[]> {
  const results = new Map<Method, SentimentMetrics[]>(METHODS.map((m) => [m, []]));
  for (const fold of folds) {
    const trainSet = examples.filter((x) => x.fold !== fold && folds.includes(x.fold));
    const testSet = examples.filter((x) => x.fold === fold);
    const alone = shipped(train(trainSet, { ...hyper, useRules: false })).model;
    const blend = shipped(train(trainSet, { ...hyper, useRules: true })).model;
    results.get('always neutral')!.push(evaluate(alwaysNeutral, testSet));
    results.get('rules alone')!.push(evaluate(byRules, testSet));
    results.get('model alone')!.push(evaluate(byModel(alone), testSet));
    results.get('blend (shipped)')!.push(evaluate(byModel(blend), testSet));
  }
  return results;
}

const fmt = (x: number): string => x.toFixed(3);
const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: readonly number[]): number => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
const out = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

function printTable(title: string, results: Map<Method, SentimentMetrics[]>, folds: readonly number[]): void {
  out(title);
  out(`| method | accuracy (mean ± sd) | macro-F1 (mean ± sd) | macro-F1 per fold (${folds.join(', ')}) |`);
  out('| --- | --- | --- | --- |');
  for (const [method, ms] of results) {
    const acc = ms.map((m) => m.accuracy);
    const f1 = ms.map((m) => m.macroF1);
    out(
      `| ${method} | ${fmt(mean(acc))} ± ${fmt(sd(acc))} | ${fmt(mean(f1))} ± ${fmt(sd(f1))} | ${f1.map(fmt).join(' ')} |`,
    );
  }
  out();
}

const allFoldsBut = (fold: number): number[] => Array.from({ length: FOLDS }, (_, f) => f).filter((f) => f !== fold);

function tune(examples: readonly Example[]): void {
  const folds = allFoldsBut(HELD_OUT_FOLD);
  out(
    `Hyper-parameter search: ${folds.length}-fold CV over folds ${folds.join(', ')} (fold ${HELD_OUT_FOLD} untouched)`,
  );
  out('| l2 | minCount | classWeightPower | blend macro-F1 | model alone macro-F1 |');
  out('| --- | --- | --- | --- | --- |');
  for (const l2 of [3e-5, 1e-4, 3e-4]) {
    for (const minCount of [1, 2, 3]) {
      for (const classWeightPower of [0, 0.5, 1]) {
        const hyper = { ...HYPER, l2, minCount, classWeightPower };
        const r = crossValidate(examples, folds, hyper);
        const f = (m: Method): string => fmt(mean(r.get(m)!.map((x) => x.macroF1)));
        out(`| ${l2} | ${minCount} | ${classWeightPower} | ${f('blend (shipped)')} | ${f('model alone')} |`);
      }
    }
  }
}

async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  const dataset = readSentimentDataset();
  if (dataset === null) {
    console.error(`Dataset not found at ${DATASET_PATH}`);
    process.exit(1);
  }
  const mask = (1 << HYPER.bits) - 1;
  const examples = dataset.map((item) => toExample(item, mask));
  const perFold = Array.from({ length: FOLDS }, (_, f) => examples.filter((x) => x.fold === f).length);
  out(`Dataset: ${path.relative(REPO_ROOT, DATASET_PATH)} — ${examples.length} texts; per fold ${perFold.join(', ')}`);
  out(`Hyper-parameters: ${JSON.stringify(HYPER)}, pack ${JSON.stringify(PACK)}`);
  out();
  if (args.has('--tune')) {
    tune(examples);
    return;
  }
  if (args.has('--dev')) {
    const devFolds = allFoldsBut(HELD_OUT_FOLD);
    printTable(
      `Development: ${devFolds.length}-fold CV over folds ${devFolds.join(', ')} (fold ${HELD_OUT_FOLD} untouched)`,
      crossValidate(examples, devFolds, HYPER),
      devFolds,
    );
    // A candidate model to try by hand, written elsewhere and scored on nothing held out.
    const outAt = process.argv.indexOf('--out');
    if (outAt !== -1 && process.argv[outAt + 1] !== undefined) {
      const candidate = shipped(
        train(
          examples.filter((x) => x.fold !== HELD_OUT_FOLD),
          { ...HYPER, useRules: true },
        ),
      ).file;
      fs.writeFileSync(process.argv[outAt + 1] as string, `${JSON.stringify(candidate)}\n`);
    }
    return;
  }

  const allFolds = Array.from({ length: FOLDS }, (_, f) => f);
  printTable(
    `${FOLDS}-fold cross-validation (train on ${FOLDS - 1} folds, score the fifth; models as shipped: rounded, pruned)`,
    crossValidate(examples, allFolds, HYPER),
    allFolds,
  );

  const trainSet = examples.filter((x) => x.fold !== HELD_OUT_FOLD);
  const heldOut = examples.filter((x) => x.fold === HELD_OUT_FOLD);
  const { file, model } = shipped(train(trainSet, { ...HYPER, useRules: true }), {
    data: 'financial-tweets-sentiment/train.csv (MIT), read in place',
    split: `FNV-1a(text) % ${FOLDS}; trained on folds ≠ ${HELD_OUT_FOLD}, fold ${HELD_OUT_FOLD} held out`,
    examples: trainSet.length,
    hyper: HYPER,
    pack: PACK,
  });
  // Written the way the repository's formatter would write it, so `pnpm format:check` passes.
  const json = await prettier.format(JSON.stringify(file), {
    ...(await prettier.resolveConfig(MODEL_PATH)),
    parser: 'json',
  });
  out(
    `Shipped model: trained on ${trainSet.length} texts (folds ≠ ${HELD_OUT_FOLD}); ${file.buckets.length} non-zero buckets; ${(json.length / 1024).toFixed(0)} KiB`,
  );
  const rows: [string, SentimentMetrics][] = [
    ['held-out fold: always neutral', evaluate(alwaysNeutral, heldOut)],
    ['held-out fold: rules alone', evaluate(byRules, heldOut)],
    ['held-out fold: blend (shipped)', evaluate(byModel(model), heldOut)],
  ];
  if (fs.existsSync(HANDWRITTEN_PATH)) {
    const handwritten = readHandwrittenHeadlines();
    rows.push(
      [`hand-written headlines: always neutral`, evaluate(alwaysNeutral, handwritten)],
      [`hand-written headlines: rules alone`, evaluate(byRules, handwritten)],
      [`hand-written headlines: blend (shipped)`, evaluate(byModel(model), handwritten)],
    );
  }
  out('| set: method | n | accuracy | macro-F1 | F1 negative / neutral / positive |');
  out('| --- | --- | --- | --- | --- |');
  for (const [name, m] of rows)
    out(`| ${name} | ${m.n} | ${fmt(m.accuracy)} | ${fmt(m.macroF1)} | ${m.f1.map(fmt).join(' / ')} |`);
  out();
  if (args.has('--check')) return;
  fs.writeFileSync(MODEL_PATH, json);
  out(`Wrote ${path.relative(REPO_ROOT, MODEL_PATH)}`);
}

await main();
