/**
 * Invalid input to a domain function. Services map it to a 4xx (`code` becomes the wire code).
 * Broken invariants inside the domain throw this at once: corrupt data is worse than none.
 */
export class DomainInputError extends Error {
  readonly code: string;
  readonly details: unknown;
  constructor(code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'DomainInputError';
    this.code = code;
    this.details = details;
  }
}
