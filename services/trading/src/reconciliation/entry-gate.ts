import { Gauge, type Registry } from 'prom-client';

export type GateState = { open: true } | { open: false; reason: string };

/**
 * Whether new entries may be sent. Fail-closed: it starts closed ("reconciliation has not
 * completed") and opens only when every holder has released it. Each holder closes it under its own
 * name (`reconciliation`, `broker`, …), so one part of the service clearing its own problem never
 * reopens the gate while another still holds it. Exits and cancels never consult it: protective
 * actions must work exactly when the broker's state is doubtful.
 */
export interface EntryGate {
  /** Consulted before any new entry; `{ open: false, reason }` means refuse with that reason. */
  check(): GateState;
  /** Holds the gate closed under `holder` (a new reason for the same holder replaces the old one). */
  close(holder: string, reason: string): void;
  /** Releases `holder`'s hold; the gate opens when no holder is left. */
  open(holder: string): void;
  /** The holds in place, by holder (for /risk, logs and tests). */
  holds(): Record<string, string>;
}

export const INITIAL_HOLDER = 'reconciliation';
export const INITIAL_REASON = 'reconciliation has not completed since start';

export interface EntryGateOptions {
  /** Registers the `entry_gate_open` gauge (1 open, 0 closed) on this registry. */
  registry?: Registry;
  /** Start open (tests of the execution path that do not run a reconciler); closed by default. */
  initiallyOpen?: boolean;
}

export function createEntryGate(opts: EntryGateOptions = {}): EntryGate {
  const holds = new Map<string, string>();
  if (!opts.initiallyOpen) holds.set(INITIAL_HOLDER, INITIAL_REASON);

  const gauge = opts.registry
    ? new Gauge({
        name: 'entry_gate_open',
        help: 'Whether new entries are allowed (1) or held closed by reconciliation or a broker problem (0)',
        registers: [opts.registry],
      })
    : null;
  const publish = () => gauge?.set(holds.size === 0 ? 1 : 0);
  publish();

  return {
    check() {
      if (holds.size === 0) return { open: true };
      return {
        open: false,
        reason: [...holds.entries()].map(([holder, reason]) => `${holder}: ${reason}`).join('; '),
      };
    },
    close(holder, reason) {
      holds.set(holder, reason);
      publish();
    },
    open(holder) {
      holds.delete(holder);
      publish();
    },
    holds() {
      return Object.fromEntries(holds);
    },
  };
}
