/**
 * Which catalyst rules can match a text at all, in one pass: an Aho-Corasick automaton over the
 * rules' `needs` fragments, built once, tells which fragments occur, and so which groups of
 * fragments (one group per rule) have one present. Only those rules run their patterns; most
 * headlines trigger a handful of the hundred rules.
 */

export interface Prefilter {
  /** Reads `text` (lowercased) and returns the stamp that marks the groups found in it. */
  scan(text: string): number;
  /** Whether a fragment of group `group` occurred in the text of the scan that returned `stamp`. */
  has(group: number, stamp: number): boolean;
}

/** Builds the automaton over every fragment of every group (a group is a list of fragments). */
export function createPrefilter(groups: ReadonlyArray<readonly string[]>): Prefilter {
  const ids = new Map<string, number>();
  const groupsOf: number[][] = [];
  groups.forEach((fragments, group) => {
    for (const f of fragments) {
      if (f === '') continue;
      let id = ids.get(f);
      if (id === undefined) {
        id = ids.size;
        ids.set(f, id);
        groupsOf.push([]);
      }
      const list = groupsOf[id] as number[];
      if (!list.includes(group)) list.push(group);
    }
  });

  // Characters that occur in fragments get their own column; every other character is column 0.
  const column = new Int32Array(0x10000);
  let columns = 1;
  for (const f of ids.keys()) {
    for (let i = 0; i < f.length; i++) {
      const c = f.charCodeAt(i);
      if (column[c] === 0) column[c] = columns++;
    }
  }

  // The trie, then failure links breadth first, turning it into a complete automaton.
  const next: number[][] = [new Array<number>(columns).fill(-1)];
  const outputs: number[][] = [[]];
  for (const [f, id] of ids) {
    let state = 0;
    for (let i = 0; i < f.length; i++) {
      const row = next[state] as number[];
      const col = column[f.charCodeAt(i)] as number;
      if (row[col] === -1) {
        row[col] = next.length;
        next.push(new Array<number>(columns).fill(-1));
        outputs.push([]);
      }
      state = row[col] as number;
    }
    (outputs[state] as number[]).push(id);
  }
  const fail = new Array<number>(next.length).fill(0);
  const queue: number[] = [];
  const root = next[0] as number[];
  for (let col = 0; col < columns; col++) {
    if (root[col] === -1) root[col] = 0;
    else queue.push(root[col] as number);
  }
  for (let head = 0; head < queue.length; head++) {
    const state = queue[head] as number;
    const row = next[state] as number[];
    const failRow = next[fail[state] as number] as number[];
    for (let col = 0; col < columns; col++) {
      const to = row[col] as number;
      if (to === -1) row[col] = failRow[col] as number;
      else {
        fail[to] = failRow[col] as number;
        (outputs[to] as number[]).push(...(outputs[fail[to] as number] as number[]));
        queue.push(to);
      }
    }
  }

  const states = next.length;
  const delta = new Int32Array(states * columns);
  for (let s = 0; s < states; s++) delta.set(next[s] as number[], s * columns);
  // Per state, the groups its fragments belong to (flattened).
  const groupStart = new Int32Array(states + 1);
  const flat: number[] = [];
  for (let s = 0; s < states; s++) {
    groupStart[s] = flat.length;
    const seen = new Set<number>();
    for (const id of outputs[s] as number[]) for (const g of groupsOf[id] as number[]) seen.add(g);
    flat.push(...seen);
  }
  groupStart[states] = flat.length;
  const groupList = Int32Array.from(flat);
  const marks = new Uint32Array(groups.length);
  // Texts are read as if a space preceded them, so " by" also matches at the very start.
  const start = delta[column[32] as number] as number;
  let stamp = 0;

  return {
    scan(text: string): number {
      stamp = stamp === 0xffffffff ? 1 : stamp + 1;
      if (stamp === 1) marks.fill(0);
      let state = start;
      for (let i = 0; i < text.length; i++) {
        state = delta[state * columns + (column[text.charCodeAt(i)] as number)] as number;
        const to = groupStart[state + 1] as number;
        for (let k = groupStart[state] as number; k < to; k++) marks[groupList[k] as number] = stamp;
      }
      return stamp;
    },
    has(group: number, at: number): boolean {
      return marks[group] === at;
    },
  };
}
