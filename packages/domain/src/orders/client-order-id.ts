import { DomainInputError } from '../errors';

/**
 * Deterministic client_order_ids. Alpaca keeps a client_order_id unique per account for good and
 * rejects a duplicate (422 "client_order_id must be unique") instead of replaying the first order,
 * so an id derived from what the order is *for* makes every retry, timeout and restart safe: the
 * second submission of the same intent cannot create a second order, and the caller then looks the
 * order up by the id.
 *
 * Shapes (all ≤ 128 characters, characters [A-Za-z0-9_-] only):
 *   cat-<intent>-<signalId>-g<generation>      a signal's order; the generation counts legitimate
 *                                              re-entries on the same signal (1 for the first)
 *   cat-<intent>_h-<32 hex>-g<generation>      the same when the signal id is not charset-safe
 *                                              or longer than 64 characters (hashed)
 *   cat-key-<32 hex>                           from an Idempotency-Key header (hashed with its scope)
 *   <any of the above>-r<n>                    the n-th replacement (PATCH) of that order
 * The shapes cannot collide: the intent token is from a fixed set without '-', hashed signal ids
 * use an `_h` intent token that no raw id can produce, 'key' is not an intent, and only
 * replacements end in -r<n>.
 */
export type OrderIntent = 'entry' | 'exit' | 'flatten' | 'stop' | 'target';

export const CLIENT_ORDER_ID_MAX = 128;
export const CLIENT_ORDER_ID_PREFIX = 'cat-';

const INTENTS: readonly OrderIntent[] = ['entry', 'exit', 'flatten', 'stop', 'target'];
const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_GENERATION = 1_000_000;

export interface SignalOrderKey {
  signalId: string;
  intent: OrderIntent;
  /** 1 for the first order of this intent on this signal; raise it only for a deliberate new order. */
  generation?: number;
}

export interface IdempotencyKeyOrder {
  idempotencyKey: string;
  /** What the key was sent to (e.g. "POST /orders"), so the same key on two endpoints gives two ids. */
  scope?: string;
}

export function clientOrderId(input: SignalOrderKey | IdempotencyKeyOrder): string {
  if ('idempotencyKey' in input) {
    const key = input.idempotencyKey;
    if (key.length === 0 || key.length > 255) {
      throw new DomainInputError('INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1..255 characters', {
        length: key.length,
      });
    }
    // Length-prefixed so ("a", "bc") and ("ab", "c") hash differently.
    const scope = input.scope ?? '';
    return `${CLIENT_ORDER_ID_PREFIX}key-${hash128(`${scope.length}:${scope}|${key}`)}`;
  }
  const { signalId, intent } = input;
  const generation = input.generation ?? 1;
  if (!INTENTS.includes(intent)) {
    throw new DomainInputError('INVALID_ORDER_INTENT', `unknown order intent "${String(intent)}"`, { intent });
  }
  if (!Number.isInteger(generation) || generation < 1 || generation > MAX_GENERATION) {
    throw new DomainInputError('INVALID_GENERATION', `generation must be an integer in 1..${MAX_GENERATION}`, {
      generation,
    });
  }
  if (signalId.length === 0) throw new DomainInputError('INVALID_SIGNAL_ID', 'signal id is empty');
  const id = SAFE_ID.test(signalId)
    ? `${CLIENT_ORDER_ID_PREFIX}${intent}-${signalId}-g${generation}`
    : `${CLIENT_ORDER_ID_PREFIX}${intent}_h-${hash128(signalId)}-g${generation}`;
  return id;
}

/** The client_order_id of the n-th replacement (n ≥ 1) of the order first sent as `originalId`. */
export function replacementClientOrderId(originalId: string, n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > MAX_GENERATION) {
    throw new DomainInputError('INVALID_GENERATION', `replacement number must be an integer in 1..${MAX_GENERATION}`);
  }
  const base = originalId.replace(/-r\d+$/, '');
  const id = `${base}-r${n}`;
  if (id.length > CLIENT_ORDER_ID_MAX) {
    throw new DomainInputError(
      'CLIENT_ORDER_ID_TOO_LONG',
      `client_order_id would exceed ${CLIENT_ORDER_ID_MAX} characters`,
    );
  }
  return id;
}

/** True for an id this scheme produced (our orders, as opposed to ones placed by hand at the broker). */
export function isOwnClientOrderId(id: string): boolean {
  return (
    id.length <= CLIENT_ORDER_ID_MAX &&
    /^cat-(?:(?:entry|exit|flatten|stop|target)(?:-[A-Za-z0-9_-]{1,64}|_h-[0-9a-f]{32})-g\d+|key-[0-9a-f]{32})(?:-r\d+)?$/.test(
      id,
    )
  );
}

const FNV_PRIME_128 = (1n << 88n) + 0x13bn;
const FNV_OFFSET_128 = 0x6c62272e07bb014262b821756295c58dn;
const MASK_128 = (1n << 128n) - 1n;

/**
 * FNV-1a, 128 bits, over the UTF-8 bytes of `text`, as 32 hex digits. Not cryptographic — it only
 * has to spread distinct keys apart (collision odds ~2^-64 at 2^32 keys); domain code cannot use
 * node:crypto.
 */
export function hash128(text: string): string {
  let h = FNV_OFFSET_128;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= BigInt(byte);
    h = (h * FNV_PRIME_128) & MASK_128;
  }
  return h.toString(16).padStart(32, '0');
}
