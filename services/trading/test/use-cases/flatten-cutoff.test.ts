import { describe, expect, it } from 'vitest';
import type { BrokerClock } from '../../src/broker/broker';
import { flattenCutoff, flattenDue, tradingDay } from '../../src/use-cases/flatten-cutoff';
import { loosensStop } from '../../src/use-cases/replace-order.use-case';

// Friday 2025-03-14, New York on daylight time: the close is 16:00 EDT = 20:00 UTC.
const clock = (timestamp: string, isOpen = true, nextClose = '2025-03-14T16:00:00-04:00'): BrokerClock => ({
  timestamp,
  is_open: isOpen,
  next_open: '2025-03-17T09:30:00-04:00',
  next_close: nextClose,
});

describe('flatten before the close', () => {
  it('is due from `minutes` before the broker’s next close, with Alpaca’s nanosecond timestamps', () => {
    expect(flattenDue(clock('2025-03-14T15:44:59.999999999-04:00'), 15)).toBeNull();
    expect(flattenDue(clock('2025-03-14T15:45:00.000000001-04:00'), 15)).toEqual({
      day: '2025-03-14',
      at: '2025-03-14T19:45:00.000Z',
    });
    expect(flattenDue(clock('2025-03-14T15:59:00-04:00'), 0)).toBeNull();
    // Closed (pre-market of a later day: next_close is that day's): nothing to flatten.
    expect(flattenDue(clock('2025-03-14T15:50:00-04:00', false), 15)).toBeNull();
  });

  it('refuses entries from the flatten instant, and for the rest of a day whose flatten ran', () => {
    expect(flattenCutoff(clock('2025-03-14T15:30:00-04:00'), 15, null)).toBeNull();
    expect(flattenCutoff(clock('2025-03-14T15:46:00-04:00'), 15, null)).toBe('2025-03-14T19:45:00.000Z');
    expect(flattenCutoff(clock('2025-03-14T16:30:00-04:00', false), 15, '2025-03-14')).toBe(
      'the flatten of 2025-03-14',
    );
    expect(
      flattenCutoff(clock('2025-03-17T10:00:00-04:00', true, '2025-03-17T16:00:00-04:00'), 15, '2025-03-14'),
    ).toBeNull();
    // Off: never refuses, whatever the latch says.
    expect(flattenCutoff(clock('2025-03-14T15:46:00-04:00'), 0, '2025-03-14')).toBeNull();
  });

  it('keys the latch by the New York date, not the UTC one', () => {
    // 21:30 EDT on the 14th is already the 15th in UTC.
    expect(tradingDay(Date.parse('2025-03-15T01:30:00Z'))).toBe('2025-03-14');
  });
});

describe('moving a protective stop', () => {
  it('loosens when a long’s (sell) stop goes down or a short’s (buy) stop goes up', () => {
    expect(loosensStop('sell', '9.50', '9.49')).toBe(true);
    expect(loosensStop('sell', '9.50', '9.51')).toBe(false);
    expect(loosensStop('sell', '9.50', '9.5')).toBe(false);
    expect(loosensStop('buy', '20.00', '20.01')).toBe(true);
    expect(loosensStop('buy', '20.00', '19.99')).toBe(false);
  });
});
