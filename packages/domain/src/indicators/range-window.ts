/**
 * The highest high and lowest low of the last `size` bars, tracked TA-Lib's way: the extreme is kept
 * with its bar number and the window is rescanned only when that bar leaves it. On ties the most recent
 * bar wins (AROON depends on it). Keeps the state before the last bar so that bar can be redone.
 * Bars are numbered from 0 and kept in a ring; slots advance by counting, since an integer `%` per
 * bar is a hardware division and costs more than the rest of the update.
 */
export class RangeWindow {
  readonly size: number;
  private readonly highs: Float64Array;
  private readonly lows: Float64Array;
  /** Slot of the newest bar. */
  private slot = -1;
  highestIdx = -1;
  highest = NaN;
  lowestIdx = -1;
  lowest = NaN;
  private sHighestIdx = -1;
  private sHighest = NaN;
  private sLowestIdx = -1;
  private sLowest = NaN;

  constructor(size: number) {
    this.size = size;
    this.highs = new Float64Array(size);
    this.lows = new Float64Array(size);
  }

  /** Starts a new bar: the current state becomes the one `update` starts from, until the next bar. */
  startBar(): void {
    this.sHighestIdx = this.highestIdx;
    this.sHighest = this.highest;
    this.sLowestIdx = this.lowestIdx;
    this.sLowest = this.lowest;
    this.slot = this.slot + 1 === this.size ? 0 : this.slot + 1;
  }

  /** Stores the newest bar's high and low (again, when it is redone); `update` then takes it in. */
  put(high: number, low: number): void {
    this.highs[this.slot] = high;
    this.lows[this.slot] = low;
  }

  /**
   * Takes the newest bar, number `i`, into account, starting from the state before it; before `size`
   * bars the window is what there is. Takes no floating-point arguments, so a call boxes nothing.
   */
  update(i: number): void {
    const size = this.size;
    const highs = this.highs;
    const lows = this.lows;
    const slot = this.slot;
    const trailing = i >= size ? i - size + 1 : 0;
    // Slot of the oldest bar in the window.
    let first = slot - (i - trailing);
    if (first < 0) first += size;
    const high = highs[slot];
    const low = lows[slot];
    if (this.sHighestIdx < trailing) {
      let k = first;
      let idx = trailing;
      let best = highs[k];
      for (let j = trailing + 1; j <= i; j++) {
        if (++k === size) k = 0;
        const v = highs[k];
        if (v >= best) {
          idx = j;
          best = v;
        }
      }
      this.highestIdx = idx;
      this.highest = best;
    } else if (high >= this.sHighest) {
      this.highestIdx = i;
      this.highest = high;
    } else {
      this.highestIdx = this.sHighestIdx;
      this.highest = this.sHighest;
    }
    if (this.sLowestIdx < trailing) {
      let k = first;
      let idx = trailing;
      let best = lows[k];
      for (let j = trailing + 1; j <= i; j++) {
        if (++k === size) k = 0;
        const v = lows[k];
        if (v <= best) {
          idx = j;
          best = v;
        }
      }
      this.lowestIdx = idx;
      this.lowest = best;
    } else if (low <= this.sLowest) {
      this.lowestIdx = i;
      this.lowest = low;
    } else {
      this.lowestIdx = this.sLowestIdx;
      this.lowest = this.sLowest;
    }
  }
}
