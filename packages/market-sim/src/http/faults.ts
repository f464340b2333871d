import type { NextFunction, Request, Response } from 'express';
import { Prng } from '../model/prng';

/**
 * Fault injection, per route: added latency, an error status (429 with Retry-After, 5xx), a
 * request that never gets an answer (a timeout), a dropped connection, or a malformed payload.
 * Rules are set from tests (`sim.faults.add`) or over HTTP (`/_sim/faults`).
 */

export type FaultKind = 'latency' | 'status' | 'timeout' | 'drop' | 'malformed';

export interface FaultRule {
  /** Exact path (`/v2/orders`), a prefix ending in `*` (`/v2/stocks/*`), or `*` for every route. */
  path: string;
  /** HTTP method to match; any when absent. */
  method?: string;
  kind: FaultKind;
  /** latency: delay in ms before the real answer; timeout: how long to hold before closing (default: until the client gives up). */
  ms?: number;
  /** status: the status to answer with (default 503). */
  status?: number;
  /** status 429: seconds for Retry-After (default 1). */
  retryAfterSeconds?: number;
  /** status: the body to send (default: Alpaca's for that status). */
  body?: unknown;
  /** Apply to the next `times` matching requests only, then retire (default: until removed). */
  times?: number;
  /** Apply to each matching request with this probability (seeded, default 1). */
  probability?: number;
  /**
   * drop/timeout only: let the request take effect first (the order is placed) and lose only the
   * answer, the ambiguous failure a client must resolve by looking the order up.
   */
  afterHandler?: boolean;
}

export interface ActiveFault extends FaultRule {
  id: number;
  hits: number;
}

const KINDS: readonly FaultKind[] = ['latency', 'status', 'timeout', 'drop', 'malformed'];

/** Checks a rule from an untrusted source; returns the problem or null. */
export function faultRuleProblem(input: unknown): string | null {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return 'a fault rule must be a JSON object';
  const r = input as Record<string, unknown>;
  if (typeof r.path !== 'string' || !(r.path === '*' || r.path.startsWith('/')))
    return 'path must be "*" or start with "/"';
  if (typeof r.kind !== 'string' || !KINDS.includes(r.kind as FaultKind))
    return `kind must be one of ${KINDS.join(', ')}`;
  if (r.method !== undefined && typeof r.method !== 'string') return 'method must be a string';
  const nonNegative = (k: string) =>
    r[k] === undefined || (typeof r[k] === 'number' && Number.isFinite(r[k]) && (r[k] as number) >= 0);
  for (const k of ['ms', 'retryAfterSeconds', 'times']) if (!nonNegative(k)) return `${k} must be a number >= 0`;
  if (
    r.status !== undefined &&
    !(Number.isInteger(r.status) && (r.status as number) >= 400 && (r.status as number) <= 599)
  )
    return 'status must be an HTTP error status (400-599)';
  if (r.probability !== undefined && !(typeof r.probability === 'number' && r.probability >= 0 && r.probability <= 1))
    return 'probability must be between 0 and 1';
  if (r.kind === 'latency' && r.ms === undefined) return 'a latency fault needs ms';
  if (r.afterHandler !== undefined && typeof r.afterHandler !== 'boolean') return 'afterHandler must be a boolean';
  if (r.afterHandler === true && r.kind !== 'drop' && r.kind !== 'timeout')
    return 'afterHandler applies to drop and timeout faults only';
  return null;
}

export class FaultInjector {
  private rules: ActiveFault[] = [];
  private nextId = 1;
  private readonly prng: Prng;
  /** Requests held open by timeout faults, released on stop. */
  private readonly held = new Set<Response>();

  constructor(seed: number) {
    this.prng = Prng.for(seed, 'faults');
  }

  add(rule: FaultRule): number {
    const problem = faultRuleProblem(rule);
    if (problem) throw new Error(`invalid fault rule: ${problem}`);
    const id = this.nextId++;
    this.rules.push({ ...rule, id, hits: 0 });
    return id;
  }

  remove(id: number): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length < before;
  }

  clear(): void {
    this.rules = [];
  }

  list(): ActiveFault[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /** The rule that applies to this request, counting the hit. */
  match(method: string, path: string): ActiveFault | undefined {
    for (const rule of this.rules) {
      if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) continue;
      const matches =
        rule.path === '*' || (rule.path.endsWith('*') ? path.startsWith(rule.path.slice(0, -1)) : path === rule.path);
      if (!matches) continue;
      if (rule.probability !== undefined && rule.probability < 1 && this.prng.next() >= rule.probability) continue;
      rule.hits++;
      if (rule.times !== undefined && rule.hits >= rule.times) this.rules = this.rules.filter((r) => r.id !== rule.id);
      return rule;
    }
    return undefined;
  }

  /** Ends every request a timeout fault is holding (on shutdown). */
  releaseHeld(): void {
    for (const res of this.held) res.socket?.destroy();
    this.held.clear();
  }

  /** Never answers; closes the connection after `ms` if given. */
  private hold(res: Response, ms: number | undefined): void {
    if (this.held.has(res)) return;
    this.held.add(res);
    res.on('close', () => this.held.delete(res));
    if (ms !== undefined) {
      setTimeout(() => {
        this.held.delete(res);
        res.socket?.destroy();
      }, ms).unref();
    }
  }

  middleware(defaultBody: (status: number) => { body: unknown; text: boolean }) {
    return (req: Request, res: Response, next: NextFunction): void => {
      if (req.path.startsWith('/_sim/')) return next();
      const rule = this.match(req.method, req.path);
      if (!rule) return next();
      if (rule.afterHandler) {
        // Let the handler run, then swallow its answer.
        const swallow = () => {
          if (rule.kind === 'drop') req.socket.destroy();
          else this.hold(res, rule.ms);
          return res;
        };
        res.writeHead = swallow as unknown as Response['writeHead'];
        res.end = swallow as unknown as Response['end'];
        next();
        return;
      }
      switch (rule.kind) {
        case 'latency':
          setTimeout(next, rule.ms ?? 0);
          return;
        case 'status': {
          const status = rule.status ?? 503;
          if (status === 429) res.setHeader('Retry-After', String(rule.retryAfterSeconds ?? 1));
          const fallback = defaultBody(status);
          const body = rule.body ?? fallback.body;
          if (typeof body === 'string')
            res
              .status(status)
              .type(fallback.text || rule.body !== undefined ? 'text/plain; charset=utf-8' : 'application/json')
              .send(body);
          else res.status(status).json(body);
          return;
        }
        case 'timeout':
          this.hold(res, rule.ms);
          return;
        case 'drop':
          req.socket.destroy();
          return;
        case 'malformed':
          res.status(200).type('application/json').send('{"id":"7b08df51-c1ac-453c-99f9-323a5f075f0d","status":"acce');
          return;
      }
    };
  }
}
