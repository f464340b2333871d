import { computeIndicator, DomainInputError, toSeries, type Bar } from '@catalyst/domain';
import { asInvalidInput } from '../domain-errors';

export interface IndicatorsRequest {
  bars: Bar[];
  indicators: Array<{ name: string; params: Record<string, number> }>;
}

/** Where in the request the domain's complaint points, for the error's details. */
function located(err: unknown, path: string): unknown {
  if (!(err instanceof DomainInputError)) return err;
  const details = typeof err.details === 'object' && err.details !== null ? err.details : {};
  return asInvalidInput(new DomainInputError(err.code, err.message, { path, ...details }));
}

/**
 * Every requested indicator over the same checked bars. All of them are validated and computed
 * before anything is answered, so one bad indicator fails the whole request with a 400 naming it.
 */
export function computeIndicators(request: IndicatorsRequest) {
  let series;
  try {
    series = toSeries(request.bars);
  } catch (err) {
    const index = err instanceof DomainInputError ? (err.details as { index?: number } | undefined)?.index : undefined;
    throw located(err, index === undefined ? 'body.bars' : `body.bars.${index}`);
  }
  const results = request.indicators.map(({ name, params }, i) => {
    let result;
    try {
      result = computeIndicator(name, series, params);
    } catch (err) {
      throw located(err, `body.indicators.${i}`);
    }
    const outputs: Record<string, Array<number | null>> = {};
    for (const [key, values] of Object.entries(result.outputs)) {
      const out = new Array<number | null>(values.length);
      for (let k = 0; k < values.length; k++) {
        const v = values[k]!;
        out[k] = Number.isFinite(v) ? v : null;
      }
      outputs[key] = out;
    }
    return { name: result.name, params: result.params, lookback: result.lookback, outputs };
  });
  return { results };
}
