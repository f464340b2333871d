/**
 * One news item read the way `POST /analyze` and the collector read it: which listed companies it
 * is about, how it sounds, and which catalyst it reports.
 */
import { DomainInputError } from '../errors';
import { findCatalyst, type CatalystFinding, type DealPhrase } from './catalyst';
import { stripHtml } from './normalize-html';
import { scoreSentiment } from './sentiment';
import { bestTickerLinks, findTickerMentions, type TickerIndex, type TickerMention } from './tickers';
import type { AnalyzeInput, Analysis, Sentiment } from './types';

/** Longer summaries (whole article bodies) are read up to here: the news is at the top. */
export const ANALYZED_SUMMARY_CHARS = 2000;
export const MAX_HEADLINE_CHARS = 1000;

/** An analysis whose catalyst carries its details (deal sides, rumour, denial). */
export interface NewsAnalysis extends Analysis {
  catalyst: CatalystFinding | null;
}

function clean(text: string, limit: number): string {
  const plain =
    text.indexOf('<') !== -1 || text.indexOf('&') !== -1 ? stripHtml(text) : text.replace(/\s+/g, ' ').trim();
  if (plain.length <= limit) return plain;
  const cut = plain.lastIndexOf(' ', limit);
  return plain.slice(0, cut > limit / 2 ? cut : limit);
}

function checkInput(input: AnalyzeInput): void {
  if (input === null || typeof input !== 'object')
    throw new DomainInputError('NEWS.INVALID_INPUT', 'input must be an object with a headline');
  if (typeof input.headline !== 'string')
    throw new DomainInputError('NEWS.INVALID_INPUT', 'headline must be a string', { headline: typeof input.headline });
  if (input.summary !== undefined && typeof input.summary !== 'string')
    throw new DomainInputError('NEWS.INVALID_INPUT', 'summary must be a string when given', {
      summary: typeof input.summary,
    });
  if (input.providerSymbols !== undefined && !Array.isArray(input.providerSymbols))
    throw new DomainInputError('NEWS.INVALID_INPUT', 'providerSymbols must be an array of strings when given');
}

/**
 * The sentiment of the headline; when the headline alone is neutral and there is a summary, of
 * both together (a flat headline over a telling first paragraph).
 */
function sentimentOf(headline: string, summary: string): Sentiment {
  const own = scoreSentiment(headline);
  if (own.label !== 'neutral' || summary === '') return own;
  return scoreSentiment(headline === '' ? summary : `${headline}. ${summary}`);
}

/**
 * Sides of a deal by where each company is named relative to a phrase that tells them apart
 * ("X to acquire Y", "X agrees to takeover by Y"): the deciding phrase first, then the others,
 * until one of them has companies around it.
 */
function dealSides(finding: CatalystFinding, mentions: readonly TickerMention[], phrases: readonly DealPhrase[]): void {
  for (const phrase of phrases) {
    const before = new Set<string>();
    const after = new Set<string>();
    for (const m of mentions) {
      if (m.field !== phrase.field) continue;
      if (m.index < phrase.index) before.add(m.symbol);
      else if (m.index >= phrase.end) after.add(m.symbol);
    }
    for (const s of before) after.delete(s);
    if (before.size === 0 && after.size === 0) continue;
    const acquirers = [...(phrase.role === 'acquirer' ? before : after)];
    const targets = [...(phrase.role === 'acquirer' ? after : before)];
    if (acquirers.length > 0) finding.details.acquirers = acquirers;
    if (targets.length > 0) finding.details.targets = targets;
    return;
  }
}

/**
 * Tickers, sentiment and catalyst of one news item, nothing stored. HTML in the text is stripped,
 * a summary is read up to `ANALYZED_SUMMARY_CHARS`. For a merger, `catalyst.details` names the
 * acquirers and targets among the tickers when the text tells (direction and strength describe
 * the target). Throws `DomainInputError` (`NEWS.INVALID_INPUT`) when the input is not an object
 * with a string headline.
 */
export function analyzeNews(index: TickerIndex, input: AnalyzeInput): NewsAnalysis {
  checkInput(input);
  const headline = clean(input.headline, MAX_HEADLINE_CHARS);
  const summary = input.summary === undefined ? '' : clean(input.summary, ANALYZED_SUMMARY_CHARS);
  const mentions = findTickerMentions(index, {
    headline,
    summary,
    ...(input.providerSymbols === undefined ? {} : { providerSymbols: input.providerSymbols }),
  });
  const sentiment = sentimentOf(headline, summary);
  const evidence = findCatalyst(summary === '' ? { headline } : { headline, summary }, sentiment);
  if (evidence !== null && evidence.dealPhrases.length > 0) dealSides(evidence.finding, mentions, evidence.dealPhrases);
  return { tickers: bestTickerLinks(mentions), sentiment, catalyst: evidence?.finding ?? null };
}
