import { DomainInputError } from '@catalyst/domain';
import { InvalidInput, UpstreamBadResponse } from '@catalyst/shared';

/**
 * Runs a domain call on the caller's input: a DomainInputError (bars out of order, high below
 * low, unknown pattern …) becomes a 400 whose wire code is the domain's (`bars_out_of_order`)
 * and whose details name the offending bar or name.
 */
export function onCallerInput<T>(fn: () => T, field: string): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof DomainInputError) {
      const { field: inner, ...rest } = detailsOf(err);
      // Name the offending value the way schema errors do: bars.5.h
      const path =
        typeof inner === 'string' && typeof rest.index === 'number' ? `${field}.${rest.index}.${inner}` : field;
      throw new InvalidInput(
        `${field}: ${err.message}`,
        { field: path, ...rest },
        `PATTERNS.${err.code.toUpperCase()}`,
      );
    }
    throw err;
  }
}

/** The same for data a provider sent: its broken bars are the provider's fault, a 502, not the caller's. */
export function onProviderData<T>(fn: () => T, what: string): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof DomainInputError) {
      throw new UpstreamBadResponse(`${what}: ${err.message}`, { reason: err.code, ...detailsOf(err) });
    }
    throw err;
  }
}

function detailsOf(err: DomainInputError): Record<string, unknown> {
  return typeof err.details === 'object' && err.details !== null ? (err.details as Record<string, unknown>) : {};
}
