import { describe, expect, it } from 'vitest';
import { scoreSentiment } from '../../src/news/sentiment';
import { DATASET_PATH, HELD_OUT_FOLD, readSentimentDataset, sentimentMetrics } from '../../scripts/sentiment-eval';

const TARGET_MACRO_F1 = 0.7;
const dataset = readSentimentDataset();
const skipped = dataset === null ? ` (skipped: dataset not found at ${DATASET_PATH})` : '';

describe('committed sentiment model on financial-tweets-sentiment', () => {
  it.skipIf(dataset === null)(
    `scores fold ${HELD_OUT_FOLD} (FNV-1a(text) % 5 = ${HELD_OUT_FOLD}), held out from its training, at macro-F1 ≥ ${TARGET_MACRO_F1}${skipped}`,
    () => {
      const heldOut = (dataset ?? []).filter((x) => x.fold === HELD_OUT_FOLD);
      expect(heldOut.length).toBeGreaterThan(1_500);
      const m = sentimentMetrics(
        heldOut.map((x) => x.label),
        heldOut.map((x) => scoreSentiment(x.text).label),
      );
      expect(m.macroF1).toBeGreaterThanOrEqual(TARGET_MACRO_F1);
    },
  );
});
