/**
 * Keeps the `capacity` best (start, score) pairs seen so far, best meaning higher score, then
 * earlier start. A binary heap with the worst kept pair at the root makes each offer
 * O(log capacity), so millions of candidates never need a full sort.
 */
export class TopSlots {
  private readonly starts: number[] = [];
  private readonly scores: number[] = [];

  constructor(private readonly capacity: number) {}

  /** Considers one candidate. */
  offer(start: number, score: number): void {
    const n = this.starts.length;
    if (n < this.capacity) {
      this.starts.push(start);
      this.scores.push(score);
      this.siftUp(n);
    } else if (n > 0 && this.worse(0, start, score)) {
      this.starts[0] = start;
      this.scores[0] = score;
      this.siftDown(0);
    }
  }

  /** The kept pairs, best first. */
  sorted(): Array<{ start: number; score: number }> {
    const out = this.starts.map((start, i) => ({ start, score: this.scores[i] as number }));
    out.sort((a, b) => b.score - a.score || a.start - b.start);
    return out;
  }

  // Whether the kept pair at index i ranks below (start, score).
  private worse(i: number, start: number, score: number): boolean {
    const s = this.scores[i] as number;
    return s < score || (s === score && (this.starts[i] as number) > start);
  }

  private swap(i: number, j: number): void {
    const st = this.starts[i] as number;
    this.starts[i] = this.starts[j] as number;
    this.starts[j] = st;
    const sc = this.scores[i] as number;
    this.scores[i] = this.scores[j] as number;
    this.scores[j] = sc;
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      // The root must hold the worst pair: move i up while it is worse than its parent.
      if (!this.worse(parent, this.starts[i] as number, this.scores[i] as number)) {
        this.swap(i, parent);
        i = parent;
      } else break;
    }
  }

  private siftDown(i: number): void {
    const n = this.starts.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let worst = i;
      if (l < n && !this.worse(worst, this.starts[l] as number, this.scores[l] as number)) worst = l;
      if (r < n && !this.worse(worst, this.starts[r] as number, this.scores[r] as number)) worst = r;
      if (worst === i) return;
      this.swap(i, worst);
      i = worst;
    }
  }
}
