/**
 * An error as Alpaca answers it: an HTTP status and a JSON body `{ code, message, …extra }`
 * (extra fields such as `buying_power` on a 403), or a plain-text body where Alpaca sends text.
 */
export class AlpacaError extends Error {
  readonly status: number;
  readonly code: number;
  readonly extra: Record<string, string>;
  readonly plainText: boolean;

  constructor(status: number, code: number, message: string, extra: Record<string, string> = {}, plainText = false) {
    super(message);
    this.name = 'AlpacaError';
    this.status = status;
    this.code = code;
    this.extra = extra;
    this.plainText = plainText;
  }

  /** Body with keys in alphabetical order, the way Alpaca's servers serialise error maps. */
  body(): Record<string, unknown> {
    const all: Record<string, unknown> = { ...this.extra, code: this.code, message: this.message };
    return Object.fromEntries(
      Object.keys(all)
        .sort()
        .map((k) => [k, all[k]]),
    );
  }
}

export const invalidInput = (message: string) => new AlpacaError(422, 40010001, message);
export const unprocessable = (message: string) => new AlpacaError(422, 42210000, message);
export const badRequest = (message: string) => new AlpacaError(400, 40010001, message);
export const notFound = (message: string) => new AlpacaError(404, 40410000, message);
