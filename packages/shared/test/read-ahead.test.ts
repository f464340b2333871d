import { describe, expect, it } from 'vitest';
import { readAhead } from '../src';

describe('readAhead', () => {
  it('leaves a failure unreported until it is awaited, and then rejects with it', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const never = readAhead(Promise.reject(new Error('not awaited')));
      const later = readAhead(Promise.reject(new Error('awaited')));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
      await expect(later).rejects.toThrow('awaited');
      expect(never).toBeInstanceOf(Promise);
      expect(await readAhead(Promise.resolve(7))).toBe(7);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
