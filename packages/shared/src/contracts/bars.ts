import { z } from 'zod';

/** Largest number of bars one request may carry (the analysis endpoints promise at least 20,000). */
export const MAX_BARS_PER_REQUEST = 50_000;

/** Alpaca's spelling of the timeframes the services work in. */
export const timeframeSchema = z.enum(['1Min', '5Min', '15Min', '1Hour', '1Day'], {
  message: 'must be one of 1Min, 5Min, 15Min, 1Hour, 1Day',
});

const price = z.number({ message: 'must be a number' }).finite().nonnegative();

/**
 * A bar as it travels: `{ t, o, h, l, c, v }` with `t` ISO-8601 UTC. The shape is checked here;
 * order, duplicates and high/low consistency are checked by the domain's `toSeries`, which names
 * the offending bar.
 */
export const BarSchema = z.object({
  t: z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time' }),
  o: price,
  h: price,
  l: price,
  c: price,
  v: price,
  vw: price.optional(),
  n: z.number().int().nonnegative().optional(),
});

export const barsSchema = z
  .array(BarSchema)
  .min(1, { message: 'needs at least one bar' })
  .max(MAX_BARS_PER_REQUEST, { message: `at most ${MAX_BARS_PER_REQUEST} bars per request` });
