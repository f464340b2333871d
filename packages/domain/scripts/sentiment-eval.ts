/**
 * What the sentiment training script and the sentiment tests share: where the labelled data is,
 * how to read it, the fixed split, and the metrics.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sentimentFold } from '../src/news/sentiment-features';
import { SENTIMENT_CLASSES } from '../src/news/sentiment-model';
import type { SentimentLabel } from '../src/news/types';

const packageRoot = path.resolve(import.meta.dirname, '..');
export const REPO_ROOT = path.resolve(packageRoot, '..', '..');
/** MIT-licensed; read in place from the shared folder beside the repository, never copied in. */
export const DATASET_PATH = path.resolve(
  REPO_ROOT,
  '..',
  'shared',
  'datasets',
  'financial-tweets-sentiment',
  'train.csv',
);
export const MODEL_PATH = path.join(packageRoot, 'src', 'news', 'sentiment-model.json');
export const HANDWRITTEN_PATH = path.join(packageRoot, 'test', 'news', 'headlines.labelled.json');

/** Folds are FNV-1a(text) % FOLDS; the committed model never trains on HELD_OUT_FOLD. */
export const FOLDS = 5;
export const HELD_OUT_FOLD = 0;

export interface LabelledText {
  text: string;
  label: SentimentLabel;
  fold: number;
}

/** RFC 4180: quoted fields may hold commas, doubled quotes and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] as string;
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field.length > 0 || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

// The dataset's labels: 0 bearish, 1 bullish, 2 neutral.
const DATASET_LABEL: Readonly<Record<string, SentimentLabel>> = { '0': 'negative', '1': 'positive', '2': 'neutral' };

/** The labelled tweets with their folds, or null when the dataset is not on this machine. */
export function readSentimentDataset(): LabelledText[] | null {
  if (!fs.existsSync(DATASET_PATH)) return null;
  const rows = parseCsv(fs.readFileSync(DATASET_PATH, 'utf8'));
  const header = rows.shift();
  if (header?.join() !== 'text,label') throw new Error(`Unexpected header in ${DATASET_PATH}: ${header?.join()}`);
  return rows
    .filter((r) => r.length === 2)
    .map(([text, raw]) => {
      const label = DATASET_LABEL[raw as string];
      if (label === undefined) throw new Error(`Unexpected label ${raw} in ${DATASET_PATH}`);
      return { text: text as string, label, fold: sentimentFold(text as string, FOLDS) };
    });
}

/** The hand-written headlines, labelled by judgement; independent of the dataset. */
export function readHandwrittenHeadlines(): LabelledText[] {
  const items = JSON.parse(fs.readFileSync(HANDWRITTEN_PATH, 'utf8')) as { headline: string; label: SentimentLabel }[];
  return items.map((x) => ({ text: x.headline, label: x.label, fold: -1 }));
}

export interface SentimentMetrics {
  n: number;
  accuracy: number;
  macroF1: number;
  /** F1 per class, in SENTIMENT_CLASSES order (negative, neutral, positive). */
  f1: number[];
}

/** Accuracy and macro-F1 (the unweighted mean of the three classes' F1; a class never hit scores 0). */
export function sentimentMetrics(
  gold: readonly SentimentLabel[],
  predicted: readonly SentimentLabel[],
): SentimentMetrics {
  if (gold.length !== predicted.length || gold.length === 0)
    throw new Error('gold and predicted must be non-empty and the same length');
  const tp = [0, 0, 0];
  const fp = [0, 0, 0];
  const fn = [0, 0, 0];
  let correct = 0;
  for (let i = 0; i < gold.length; i += 1) {
    const g = SENTIMENT_CLASSES.indexOf(gold[i] as SentimentLabel);
    const p = SENTIMENT_CLASSES.indexOf(predicted[i] as SentimentLabel);
    if (g === p) {
      correct += 1;
      tp[g] = (tp[g] as number) + 1;
    } else {
      fp[p] = (fp[p] as number) + 1;
      fn[g] = (fn[g] as number) + 1;
    }
  }
  const f1 = tp.map((t, c) => (t === 0 ? 0 : (2 * t) / (2 * t + (fp[c] as number) + (fn[c] as number))));
  return { n: gold.length, accuracy: correct / gold.length, macroF1: f1.reduce((a, b) => a + b, 0) / f1.length, f1 };
}
