import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientOrderId, hash128, isOwnClientOrderId, replacementClientOrderId, type OrderIntent } from '../../src';

const SAFE = /^[A-Za-z0-9_-]+$/;

describe('clientOrderId', () => {
  it('derives a readable id from a signal', () => {
    const signalId = '3f1c2a9e-5b7d-4c1e-9a2b-1d2e3f4a5b6c';
    expect(clientOrderId({ signalId, intent: 'entry' })).toBe(`cat-entry-${signalId}-g1`);
    expect(clientOrderId({ signalId, intent: 'exit', generation: 2 })).toBe(`cat-exit-${signalId}-g2`);
  });

  it('hashes a signal id that is not charset-safe or too long', () => {
    const id = clientOrderId({ signalId: 'sig with spaces/ü', intent: 'entry' });
    expect(id).toMatch(/^cat-entry_h-[0-9a-f]{32}-g1$/);
    expect(clientOrderId({ signalId: 'x'.repeat(65), intent: 'flatten' })).toMatch(/^cat-flatten_h-[0-9a-f]{32}-g1$/);
  });

  it('hashes an Idempotency-Key with its scope', () => {
    const a = clientOrderId({ idempotencyKey: 'abc', scope: 'POST /orders' });
    expect(a).toMatch(/^cat-key-[0-9a-f]{32}$/);
    expect(clientOrderId({ idempotencyKey: 'abc', scope: 'POST /orders' })).toBe(a);
    expect(clientOrderId({ idempotencyKey: 'abc', scope: 'POST /flatten' })).not.toBe(a);
    expect(() => clientOrderId({ idempotencyKey: '' })).toThrow(/Idempotency-Key/);
  });

  it('refuses bad generations and intents', () => {
    expect(() => clientOrderId({ signalId: 's', intent: 'entry', generation: 0 })).toThrow(/generation/);
    expect(() => clientOrderId({ signalId: 's', intent: 'entry', generation: 1.5 })).toThrow(/generation/);
    expect(() => clientOrderId({ signalId: 's', intent: 'buy' as OrderIntent })).toThrow(/intent/);
    expect(() => clientOrderId({ signalId: '', intent: 'entry' })).toThrow(/empty/);
  });

  it('numbers replacements from the original id', () => {
    const base = clientOrderId({ signalId: 'abc', intent: 'entry' });
    expect(replacementClientOrderId(base, 1)).toBe('cat-entry-abc-g1-r1');
    expect(replacementClientOrderId('cat-entry-abc-g1-r1', 2)).toBe('cat-entry-abc-g1-r2');
    expect(isOwnClientOrderId('cat-entry-abc-g1-r2')).toBe(true);
    expect(isOwnClientOrderId('3f1c2a9e-5b7d-4c1e-9a2b-1d2e3f4a5b6c')).toBe(false);
  });

  it('matches a reference FNV-1a 128 value', () => {
    // FNV-1a 128 of the empty string is the offset basis; of "a" from the published test vectors.
    expect(hash128('')).toBe('6c62272e07bb014262b821756295c58d');
    expect(hash128('a')).toBe('d228cb696f1a8caf78912b704e4a8964');
  });

  const intent = fc.constantFrom<OrderIntent>('entry', 'exit', 'flatten', 'stop', 'target');
  const input = fc.oneof(
    fc.record({
      signalId: fc.string({ minLength: 1, maxLength: 80 }),
      intent,
      generation: fc.integer({ min: 1, max: 50 }),
    }),
    fc.record({
      idempotencyKey: fc.string({ minLength: 1, maxLength: 100 }),
      scope: fc.constantFrom('POST /orders', 'POST /flatten'),
    }),
  );

  it('property: same inputs same id; ids are ≤ 128 safe characters and ours', () => {
    fc.assert(
      fc.property(input, (i) => {
        const id = clientOrderId(i);
        expect(clientOrderId(i)).toBe(id);
        expect(id.length).toBeLessThanOrEqual(128);
        expect(id).toMatch(SAFE);
        expect(id.startsWith('cat-')).toBe(true);
        expect(isOwnClientOrderId(id)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: different inputs give different ids', () => {
    const key = (i: Parameters<typeof clientOrderId>[0]) =>
      JSON.stringify(
        'signalId' in i ? ['s', i.signalId, i.intent, i.generation ?? 1] : ['k', i.idempotencyKey, i.scope ?? ''],
      );
    fc.assert(
      fc.property(input, input, (a, b) => {
        if (key(a) !== key(b)) expect(clientOrderId(a)).not.toBe(clientOrderId(b));
      }),
      { numRuns: 3000 },
    );
    // Near misses that a naive concatenation would collide on.
    const ids = new Set([
      clientOrderId({ signalId: 'a-g1', intent: 'entry', generation: 2 }),
      clientOrderId({ signalId: 'a', intent: 'entry', generation: 1 }),
      clientOrderId({ signalId: 'a-g2', intent: 'entry', generation: 1 }),
      clientOrderId({ signalId: 'key-1', intent: 'entry' }),
      clientOrderId({ idempotencyKey: 'a', scope: 'b' }),
      clientOrderId({ idempotencyKey: 'b', scope: 'a' }),
    ]);
    expect(ids.size).toBe(6);
  });
});
