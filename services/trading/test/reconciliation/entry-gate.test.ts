import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createEntryGate } from '../../src/reconciliation/entry-gate';

describe('entry gate', () => {
  it('starts closed and opens only when every holder has released it', async () => {
    const registry = new Registry();
    const gate = createEntryGate({ registry });
    expect(gate.check()).toEqual({
      open: false,
      reason: 'reconciliation: reconciliation has not completed since start',
    });
    gate.close('order_sync', 'orders unreadable');
    gate.open('reconciliation');
    expect(gate.check()).toEqual({ open: false, reason: 'order_sync: orders unreadable' });
    expect((await registry.getSingleMetric('entry_gate_open')!.get()).values[0]!.value).toBe(0);
    gate.open('order_sync');
    expect(gate.check()).toEqual({ open: true });
    expect((await registry.getSingleMetric('entry_gate_open')!.get()).values[0]!.value).toBe(1);
    expect(gate.holds()).toEqual({});
  });

  it('keeps the newest reason of a holder and may start open for tests that run no reconciler', () => {
    const gate = createEntryGate({ initiallyOpen: true });
    expect(gate.check().open).toBe(true);
    gate.close('broker', 'first');
    gate.close('broker', 'second');
    expect(gate.check()).toEqual({ open: false, reason: 'broker: second' });
  });
});
