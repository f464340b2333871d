import { AppError, NotFound, UpstreamBadResponse, UpstreamUnavailable } from '@catalyst/shared';
import { BrokerError } from '../broker/broker';

/**
 * A broker failure that reached a route (a read that failed, not a submission, which the use case
 * resolves itself) as the shared upstream errors: 503 when trying again may help, 502 when not.
 */
export function brokerFailure(err: unknown): unknown {
  if (!(err instanceof BrokerError) || err instanceof AppError) return err;
  const details = { brokerStatus: err.details.status ?? null, kind: err.kind };
  switch (err.kind) {
    case 'ambiguous':
    case 'rate_limited':
      return new UpstreamUnavailable(`the broker did not answer: ${err.message}`, details, { cause: err });
    case 'not_found':
      return new NotFound(`the broker has no such object: ${err.message}`, details, 'TRADING.BROKER_NOT_FOUND');
    default:
      return new UpstreamBadResponse(`the broker refused: ${err.message}`, details, { cause: err });
  }
}

/** Runs a handler, translating broker failures. */
export async function viaBroker<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw brokerFailure(err);
  }
}
