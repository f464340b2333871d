import { describe, expect, it } from 'vitest';
import {
  compareStreamIds,
  formatStreamId,
  nextStreamId,
  parseStreamId,
  requireStreamId,
} from '../../src/bus/stream-id';
import { InvalidInput } from '../../src/errors';

describe('stream ids', () => {
  it('parses <ms>-<seq> and a bare <ms> the way Redis does', () => {
    expect(parseStreamId('1700000000000-7')).toEqual({ ms: 1700000000000, seq: 7 });
    expect(parseStreamId('0')).toEqual({ ms: 0, seq: 0 });
    expect(parseStreamId('1700000000000')).toEqual({ ms: 1700000000000, seq: 0 });
    for (const bad of ['', '$', '-1', '1-', '1-2-3', 'abc', '1.5-0', '99999999999999999-0'])
      expect(parseStreamId(bad)).toBeUndefined();
  });

  it('orders by milliseconds, then by sequence', () => {
    const ids = ['5-0', '10-0', '10-2', '10-11', '11-0'].map((id) => parseStreamId(id)!);
    for (let i = 1; i < ids.length; i += 1) expect(compareStreamIds(ids[i - 1]!, ids[i]!)).toBeLessThan(0);
    expect(compareStreamIds(ids[2]!, { ms: 10, seq: 2 })).toBe(0);
  });

  it('the next id moves forward even when the clock stands still or goes back', () => {
    expect(formatStreamId(nextStreamId({ ms: 100, seq: 3 }, 200))).toBe('200-0');
    expect(formatStreamId(nextStreamId({ ms: 100, seq: 3 }, 100))).toBe('100-4');
    expect(formatStreamId(nextStreamId({ ms: 100, seq: 3 }, 50))).toBe('100-4');
  });

  it('a malformed id from a caller is a typed error naming the field', () => {
    expect(() => requireStreamId('last', 'afterId')).toThrow(InvalidInput);
    expect(() => requireStreamId('last', 'afterId')).toThrow(/afterId/);
  });
});
