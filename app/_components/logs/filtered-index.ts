import type { LogStore, StoreChange } from "./log-store";

/**
 * The absolute positions of the store's lines that pass a predicate, kept current as lines arrive,
 * and built in slices of a few milliseconds so a million lines never freeze the page (`progress`
 * says how far a rebuild got). A merge that inserts before the end redoes only the part after it.
 */
export class FilteredIndex {
  private abs = new Float64Array(1024);
  private n = 0;
  /** Absolute position up to which the store has been scanned. */
  private scanned = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private unsubscribe: (() => void) | null = null;
  private disposed = false;

  constructor(
    private readonly store: LogStore,
    private readonly predicate: (i: number) => boolean,
    private readonly onChange: () => void,
    private readonly sliceMs = 8,
  ) {
    this.scanned = store.evicted;
    this.unsubscribe = store.subscribe((c) => this.storeChanged(c));
    this.schedule();
  }

  get length(): number {
    this.dropEvicted();
    return this.n;
  }

  /** True while lines remain unscanned. */
  get pending(): boolean {
    return this.scanned < this.store.evicted + this.store.size;
  }

  /** Fraction of the store scanned (1 when done). */
  get progress(): number {
    const total = this.store.size;
    return total === 0 ? 1 : Math.min(1, (this.scanned - this.store.evicted) / total);
  }

  /** The k-th passing line as a store index (0..size-1). */
  indexAt(k: number): number {
    this.dropEvicted();
    return this.abs[k]! - this.store.evicted;
  }

  /** The position in this index of the first passing line at or after store index i (length if none). */
  lowerBound(i: number): number {
    this.dropEvicted();
    const target = i + this.store.evicted;
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.abs[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  dispose(): void {
    this.disposed = true;
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
  }

  /** Scans until done or the slice's time is up; returns true when everything is scanned. Exposed for tests. */
  step(budgetMs = this.sliceMs): boolean {
    this.dropEvicted();
    const end = this.store.evicted + this.store.size;
    const deadline = performance.now() + budgetMs;
    let abs = Math.max(this.scanned, this.store.evicted);
    while (abs < end) {
      const stop = Math.min(end, abs + 2048);
      for (; abs < stop; abs++) if (this.predicate(abs - this.store.evicted)) this.push(abs);
      if (performance.now() > deadline) break;
    }
    this.scanned = abs;
    return abs >= end;
  }

  private storeChanged(c: StoreChange): void {
    if (c.reset) {
      this.n = 0;
      this.scanned = 0;
    } else if (c.fromAbs < this.scanned) {
      // Lines from fromAbs on moved (a merge): forget them and scan again from there.
      this.n = this.lowerBoundAbs(c.fromAbs);
      this.scanned = c.fromAbs;
    }
    this.schedule();
  }

  private run = () => {
    this.timer = null;
    if (this.disposed) return;
    const before = this.n;
    const done = this.step();
    if (!done) this.schedule();
    if (this.n !== before || done) this.onChange();
  };

  private schedule(): void {
    if (this.timer || this.disposed) return;
    this.timer = setTimeout(this.run, 0);
  }

  private push(abs: number): void {
    if (this.n === this.abs.length) {
      const bigger = new Float64Array(this.abs.length * 2);
      bigger.set(this.abs);
      this.abs = bigger;
    }
    this.abs[this.n++] = abs;
  }

  /** Drops positions the store has discarded (they are at the front). */
  private dropEvicted(): void {
    if (this.n === 0 || this.abs[0]! >= this.store.evicted) return;
    const k = this.lowerBoundAbs(this.store.evicted);
    this.abs.copyWithin(0, k, this.n);
    this.n -= k;
  }

  private lowerBoundAbs(target: number): number {
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.abs[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
