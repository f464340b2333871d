import { DomainInputError } from '@catalyst/domain';
import { InvalidInput } from '@catalyst/shared';

/**
 * The domain refuses bad input with DomainInputError (unknown indicator, bad parameter, too few bars,
 * bars out of order or with high below low …); on the wire that is a 400 whose code is the domain's
 * (`too_few_bars`) and whose details name the indicator, parameter or bar.
 */
export function asInvalidInput(err: unknown): unknown {
  if (!(err instanceof DomainInputError)) return err;
  const details = typeof err.details === 'object' && err.details !== null ? err.details : {};
  return new InvalidInput(err.message, details, `TECHNICAL.${err.code.toUpperCase()}`);
}

/** Runs `fn`, turning a DomainInputError into the InvalidInput above. */
export function withDomainInput<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw asInvalidInput(err);
  }
}
