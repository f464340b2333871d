/**
 * The simulator's clock. It runs from a start instant at `speed` times real time (1 = real
 * time, 60 = a simulated hour a minute), or stands still (`speed` 0) and moves only when a test
 * steps it with `advance` or `setTime`. Time never runs backwards through `advance`.
 */
export interface ClockState {
  now: number;
  speed: number;
}

export class SimClock {
  private anchorSim: number;
  private anchorReal: number;
  private currentSpeed: number;
  private readonly realNow: () => number;
  private readonly listeners = new Set<(now: number) => void>();

  constructor(options: { startTime: number; speed: number; realNow?: () => number }) {
    if (!Number.isFinite(options.startTime))
      throw new Error('clock start time must be a finite number of milliseconds');
    if (!Number.isFinite(options.speed) || options.speed < 0) throw new Error('clock speed must be a number >= 0');
    this.realNow = options.realNow ?? Date.now;
    this.anchorSim = options.startTime;
    this.anchorReal = this.realNow();
    this.currentSpeed = options.speed;
  }

  /** Simulated time, epoch milliseconds. */
  now(): number {
    if (this.currentSpeed === 0) return this.anchorSim;
    return Math.floor(this.anchorSim + (this.realNow() - this.anchorReal) * this.currentSpeed);
  }

  get speed(): number {
    return this.currentSpeed;
  }

  /** Changes the speed from now on (0 freezes the clock). */
  setSpeed(speed: number): void {
    if (!Number.isFinite(speed) || speed < 0) throw new Error('clock speed must be a number >= 0');
    this.rebase(this.now());
    this.currentSpeed = speed;
  }

  /** Moves simulated time forward by `ms`. */
  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new Error('advance takes a number of milliseconds >= 0');
    return this.setTime(this.now() + ms);
  }

  /** Jumps to an instant (epoch ms, a Date or an ISO string). */
  setTime(time: number | Date | string): number {
    const ms = typeof time === 'number' ? time : new Date(time).getTime();
    if (!Number.isFinite(ms)) throw new Error(`not a valid time: ${String(time)}`);
    this.rebase(ms);
    for (const listener of this.listeners) listener(ms);
    return ms;
  }

  /** Called after every jump of the clock (not on the continuous passing of real time). */
  onJump(listener: (now: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  state(): ClockState {
    return { now: this.now(), speed: this.currentSpeed };
  }

  private rebase(sim: number): void {
    this.anchorSim = sim;
    this.anchorReal = this.realNow();
  }
}
