import { Conflict, InvalidInput, ServiceUnavailable, UpstreamBadResponse } from '../errors';
import type { BusEvent, SubscribeOptions } from './types';

// Defaults and argument checks shared by both implementations, so they refuse the same input
// with the same typed errors.

export const DEFAULT_MAX_LEN = 10_000;
export const DEFAULT_CLAIM_IDLE_MS = 60_000;
export const DEFAULT_MAX_DELIVERIES = 5;
export const DEFAULT_READ_LIMIT = 1_000;

export function requireName(value: string, what: string): string {
  if (typeof value !== 'string' || value.length === 0)
    throw new InvalidInput(`${what} must be a non-empty string`, { [what]: value });
  return value;
}

/** A whole, positive number of milliseconds; fractions round up so a TTL never gets shorter. */
export function requireTtl(ttlMs: number, what = 'ttlMs'): number {
  if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new InvalidInput(`${what} must be a positive number of milliseconds`, { [what]: ttlMs });
  }
  return Math.ceil(ttlMs);
}

export function optionalTtl(ttlMs: number | undefined): number | undefined {
  return ttlMs === undefined ? undefined : requireTtl(ttlMs);
}

export function requirePositiveInt(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new InvalidInput(`${what} must be a positive integer`, { [what]: value });
  return value;
}

export interface GroupSettings {
  group: string;
  consumer: string | undefined;
  claimIdleMs: number;
  maxDeliveries: number;
}

export function groupSettings(opts: SubscribeOptions & { group: string }): GroupSettings {
  return {
    group: requireName(opts.group, 'group'),
    consumer: opts.consumer === undefined ? undefined : requireName(opts.consumer, 'consumer'),
    claimIdleMs: opts.claimIdleMs === undefined ? DEFAULT_CLAIM_IDLE_MS : requireTtl(opts.claimIdleMs, 'claimIdleMs'),
    maxDeliveries:
      opts.maxDeliveries === undefined
        ? DEFAULT_MAX_DELIVERIES
        : requirePositiveInt(opts.maxDeliveries, 'maxDeliveries'),
  };
}

/** JSON text of a cache value or event payload; `undefined`, functions and BigInt are refused. */
export function encodeJson(value: unknown, what: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    throw new InvalidInput(`${what} must be JSON-serialisable: ${(err as Error).message}`);
  }
  if (text === undefined) throw new InvalidInput(`${what} must be JSON-serialisable (got ${typeof value})`);
  return text;
}

export function decodeJson<T>(text: string, where: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new UpstreamBadResponse(`The value stored at ${where} is not JSON`);
  }
}

export function notACounter(key: string): Conflict {
  return new Conflict(`The value at ${key} is not an integer counter`, { key }, 'BUS.NOT_A_COUNTER');
}

export function busClosed(): ServiceUnavailable {
  return new ServiceUnavailable('The cache bus is closed');
}

/** One stable shape for the log fields that identify an event. */
export function eventLogFields(
  event: Pick<BusEvent, 'id' | 'topic' | 'type'>,
  extra?: Record<string, unknown>,
): Record<string, unknown> {
  return { topic: event.topic, eventId: event.id, eventType: event.type, ...extra };
}
