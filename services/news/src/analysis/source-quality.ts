/**
 * How far an outlet is trusted, 0..1, for the catalyst score. Regulators and issuers' own wires
 * state facts; established newsrooms check them; aggregators and blogs repeat; promoters and
 * social posts are where rumours start. Unknown outlets sit in the middle.
 */
const KNOWN: ReadonlyArray<readonly [RegExp, number]> = [
  [/\bsec\b|edgar|securities and exchange commission/i, 1],
  [/business ?wire|pr ?newswire|globe ?newswire|accesswire|newsfile|\bnewswire\b|press release/i, 0.9],
  [
    /reuters|bloomberg|dow jones|wall street journal|\bwsj\b|financial times|associated press|\bap news\b|\bcnbc\b/i,
    0.9,
  ],
  [
    /marketwatch|barron|the motley fool|benzinga|zacks|seeking alpha|investor'?s business daily|yahoo|nasdaq\.com|thestreet|forbes|fortune|business insider|\bcnn\b|new york times|fox business/i,
    0.7,
  ],
  [/\bwire\b/i, 0.85],
  [/penny|hot stock|stock ?alert|otc ?markets? ?alert|promo/i, 0.25],
  [/reddit|stocktwits|twitter|\bx\.com\b|chatter|forum|discord|telegram|youtube/i, 0.15],
];

export const UNKNOWN_SOURCE_QUALITY = 0.5;

export function sourceQuality(publisher: string | null, override?: unknown): number {
  if (typeof override === 'number' && override >= 0 && override <= 1) return override;
  if (!publisher) return UNKNOWN_SOURCE_QUALITY;
  for (const [pattern, quality] of KNOWN) if (pattern.test(publisher)) return quality;
  return UNKNOWN_SOURCE_QUALITY;
}
