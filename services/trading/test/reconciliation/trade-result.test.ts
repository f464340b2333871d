import { describe, expect, it } from 'vitest';
import { exitReasonOf, tradeResult } from '../../src/sync/trade-result';

describe('trade result', () => {
  it('computes P&L exactly where binary floats would not', () => {
    // (9.05 − 8.95) × 3 is 0.30000000000000027 in floats.
    expect(tradeResult({ side: 'long', qty: '3', entryPrice: '8.95', exitPrice: '9.05' })).toEqual({
      qty: '3',
      entryPrice: '8.95',
      exitPrice: '9.05',
      realizedPnl: '0.3',
      returnPct: '1.117318',
    });
    expect(
      tradeResult({ side: 'short', qty: '0.123456789', entryPrice: '100.1', exitPrice: '100.2001' }).realizedPnl,
    ).toBe('-0.0123580245789');
  });

  it('names the exit from the order that closed the position', () => {
    expect(exitReasonOf({ leg: 'take_profit', clientOrderId: 'x' })).toBe('target');
    expect(exitReasonOf({ leg: 'stop_loss', clientOrderId: 'x' })).toBe('stop');
    expect(exitReasonOf({ leg: null, clientOrderId: 'cat-flatten-abc-g1' })).toBe('halt');
    expect(exitReasonOf({ leg: null, clientOrderId: 'cat-key-0123' })).toBe('manual');
    // The service's own close names its reason (audit position.close): the flatten before the close, the halt.
    expect(exitReasonOf({ leg: null, clientOrderId: 'c0ffee', closeReason: 'end_of_day' })).toBe('end_of_day');
    expect(exitReasonOf({ leg: null, clientOrderId: 'c0ffee', closeReason: 'halt' })).toBe('halt');
    expect(exitReasonOf({ leg: null, clientOrderId: 'c0ffee', closeReason: null })).toBe('manual');
    // A leg that filled first keeps its own reason.
    expect(exitReasonOf({ leg: 'stop_loss', clientOrderId: 'x', closeReason: 'end_of_day' })).toBe('stop');
  });

  it('refuses non-positive quantities and prices', () => {
    expect(() => tradeResult({ side: 'long', qty: '0', entryPrice: '1', exitPrice: '2' })).toThrow(RangeError);
  });
});
