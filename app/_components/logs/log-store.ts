import { isLogMarker, type LogItem } from "../../../agents/protocol/logs";
import { displayText } from "./ansi";
import { detectLevel, type LevelCode } from "./log-level";
import { formatLogTs, parseLogTs } from "./log-time";

/**
 * The lines a viewer holds: a bounded ring (oldest lines discarded past `capacity`, counted in
 * `evicted`) kept in columns — typed arrays for time, stream, level and source, one string per text —
 * so a million lines cost tens of MB rather than a million objects. Several sources (containers) are
 * merged by timestamp: each arrives in order, so a batch is merged into the tail it overlaps.
 *
 * Positions: `i` is 0..size-1 (oldest first); an absolute position `abs = evicted + i` names a line
 * until a merge inserts before it. Every change reports the first absolute position that moved, so
 * indexes built over the store (filters, search) redo only the part after it.
 */

export type SourceTag = { key: string; hostId: string; hostName: string; containerId: string; containerName: string };
export type MarkerKind = "dropped" | "gap";
export type MarkerInfo = { marker: MarkerKind; count?: number; message: string };
/** `fromAbs`: the first absolute position whose line changed or is new; `reset`: everything was cleared. */
export type StoreChange = { fromAbs: number; evicted: number; reset: boolean };

const STDERR = 1;
const TRUNCATED = 2;
const LEVEL_SHIFT = 2;
const LEVEL_MASK = 7 << LEVEL_SHIFT;
const LEVEL_UNKNOWN = 7; // not looked at yet: detected on first use
const KIND_SHIFT = 5;
const KIND_DROPPED = 1;
const KIND_GAP = 2;

export const DEFAULT_CAPACITY = 1_000_000;
const INITIAL_ALLOC = 4096;

type Column = { ms: Float64Array; ns: Int32Array; meta: Uint8Array; src: Uint16Array; text: (string | MarkerInfo)[] };

function makeColumns(n: number): Column {
  return { ms: new Float64Array(n), ns: new Int32Array(n), meta: new Uint8Array(n), src: new Uint16Array(n), text: new Array(n) };
}

export class LogStore {
  readonly capacity: number;
  private cols: Column;
  private alloc: number;
  private head = 0;
  private count = 0;
  /** Lines discarded by the cap policy (oldest first) since the store was made or cleared. */
  evicted = 0;
  /** Lines the stream could not deliver (sum of "dropped" markers received) and gap markers received. */
  dropped = 0;
  gaps = 0;
  /** Bumped on every change; views use it to know when to redraw. */
  version = 0;
  readonly sources: SourceTag[] = [];
  private readonly sourceByKey = new Map<string, number>();
  private readonly listeners = new Set<(change: StoreChange) => void>();

  constructor(capacity = DEFAULT_CAPACITY) {
    this.capacity = Math.max(1, Math.floor(capacity));
    this.alloc = Math.min(this.capacity, INITIAL_ALLOC);
    this.cols = makeColumns(this.alloc);
  }

  get size(): number {
    return this.count;
  }

  /** The id of a source (a container on a host), registered on first use. */
  sourceId(tag: SourceTag): number {
    const known = this.sourceByKey.get(tag.key);
    if (known !== undefined) return known;
    const id = this.sources.length;
    this.sources.push(tag);
    this.sourceByKey.set(tag.key, id);
    return id;
  }

  subscribe(listener: (change: StoreChange) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
    this.evicted = 0;
    this.dropped = 0;
    this.gaps = 0;
    this.alloc = Math.min(this.capacity, INITIAL_ALLOC);
    this.cols = makeColumns(this.alloc);
    this.emit({ fromAbs: 0, evicted: 0, reset: true });
  }

  /**
   * Adds one source's items (in the source's order) and merges them by time with what is stored.
   * Items with equal times keep arrival order. Markers without a time sit after the line before them.
   */
  insert(sourceId: number, items: readonly LogItem[]): void {
    if (items.length === 0) return;
    const n = items.length;
    const b = makeColumns(n);
    let prevMs = this.count ? this.msAt(this.count - 1) : 0;
    let prevNs = this.count ? this.nsAt(this.count - 1) : 0;
    let sorted = true;
    for (let j = 0; j < n; j++) {
      const item = items[j]!;
      const parts = item.ts ? parseLogTs(item.ts) : null;
      const ms = parts ? parts.ms : prevMs;
      const ns = parts ? parts.ns : prevNs;
      if (j > 0 && (ms < b.ms[j - 1]! || (ms === b.ms[j - 1]! && ns < b.ns[j - 1]!))) sorted = false;
      b.ms[j] = ms;
      b.ns[j] = ns;
      b.src[j] = sourceId;
      if (isLogMarker(item)) {
        b.meta[j] = ((item.marker === "gap" ? KIND_GAP : KIND_DROPPED) << KIND_SHIFT) | (LEVEL_UNKNOWN << LEVEL_SHIFT);
        b.text[j] = { marker: item.marker, count: item.count, message: item.message };
        if (item.marker === "gap") this.gaps++;
        else this.dropped += item.count ?? 0;
      } else {
        b.meta[j] = (item.stream === "stderr" ? STDERR : 0) | (item.truncated ? TRUNCATED : 0) | (LEVEL_UNKNOWN << LEVEL_SHIFT);
        b.text[j] = item.text;
      }
      prevMs = ms;
      prevNs = ns;
    }
    const order = sorted ? null : stableOrder(b);
    const at = (j: number) => (order ? order[j]! : j);
    const first = at(0);
    const p = this.upperBound(b.ms[first]!, b.ns[first]!);
    const fromAbs = this.evicted + p;
    if (p === this.count) {
      for (let j = 0; j < n; j++) this.pushFrom(b, at(j));
    } else {
      const suffix = this.copyRange(p, this.count);
      const m = this.count - p;
      this.count = p;
      let i = 0;
      let j = 0;
      while (i < m || j < n) {
        const takeOld =
          j >= n || (i < m && (suffix.ms[i]! < b.ms[at(j)]! || (suffix.ms[i] === b.ms[at(j)] && suffix.ns[i]! <= b.ns[at(j)]!)));
        if (takeOld) this.pushFrom(suffix, i++);
        else this.pushFrom(b, at(j++));
      }
    }
    this.emit({ fromAbs, evicted: this.evicted, reset: false });
  }

  /* ---------- reading one line (i = 0..size-1, oldest first) ---------- */

  private slot(i: number): number {
    const s = this.head + i;
    return s >= this.alloc ? s - this.alloc : s;
  }
  msAt(i: number): number {
    return this.cols.ms[this.slot(i)]!;
  }
  nsAt(i: number): number {
    return this.cols.ns[this.slot(i)]!;
  }
  tsAt(i: number): string {
    const s = this.slot(i);
    return formatLogTs(this.cols.ms[s]!, this.cols.ns[s]!);
  }
  streamAt(i: number): "stdout" | "stderr" {
    return this.cols.meta[this.slot(i)]! & STDERR ? "stderr" : "stdout";
  }
  truncatedAt(i: number): boolean {
    return (this.cols.meta[this.slot(i)]! & TRUNCATED) !== 0;
  }
  sourceIdAt(i: number): number {
    return this.cols.src[this.slot(i)]!;
  }
  sourceAt(i: number): SourceTag | undefined {
    return this.sources[this.sourceIdAt(i)];
  }
  markerAt(i: number): MarkerInfo | null {
    const t = this.cols.text[this.slot(i)];
    return typeof t === "object" ? t : null;
  }
  /** The raw line text (a marker's message for markers). */
  textAt(i: number): string {
    const t = this.cols.text[this.slot(i)]!;
    return typeof t === "string" ? t : t.message;
  }
  /** Detected on first use and remembered: most lines are never filtered by level or shown. */
  levelAt(i: number): LevelCode {
    const s = this.slot(i);
    const meta = this.cols.meta[s]!;
    const code = (meta & LEVEL_MASK) >> LEVEL_SHIFT;
    if (code !== LEVEL_UNKNOWN) return code as LevelCode;
    const t = this.cols.text[s]!;
    const level = typeof t === "string" ? detectLevel(displayText(t)) : 0;
    this.cols.meta[s] = (meta & ~LEVEL_MASK) | (level << LEVEL_SHIFT);
    return level;
  }
  isMarkerAt(i: number): boolean {
    return this.cols.meta[this.slot(i)]! >> KIND_SHIFT !== 0;
  }

  /* ---------- internals ---------- */

  /** First position whose time is after (ms, ns); searched from the tail, where merges land. */
  private upperBound(ms: number, ns: number): number {
    const after = (i: number) => {
      const m = this.msAt(i);
      return m > ms || (m === ms && this.nsAt(i) > ns);
    };
    if (this.count === 0 || !after(this.count - 1)) return this.count;
    let lo = 0;
    let hi = this.count - 1; // after(hi) holds
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (after(mid)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  private copyRange(from: number, to: number): Column {
    const c = makeColumns(to - from);
    for (let i = from; i < to; i++) {
      const s = this.slot(i);
      const k = i - from;
      c.ms[k] = this.cols.ms[s]!;
      c.ns[k] = this.cols.ns[s]!;
      c.meta[k] = this.cols.meta[s]!;
      c.src[k] = this.cols.src[s]!;
      c.text[k] = this.cols.text[s]!;
    }
    return c;
  }

  private pushFrom(from: Column, k: number): void {
    if (this.count === this.alloc && this.alloc < this.capacity) this.grow();
    let s: number;
    if (this.count === this.capacity) {
      s = this.head; // full: the oldest line makes room
      this.head = this.head + 1 === this.alloc ? 0 : this.head + 1;
      this.evicted++;
    } else {
      s = this.slot(this.count);
      this.count++;
    }
    this.cols.ms[s] = from.ms[k]!;
    this.cols.ns[s] = from.ns[k]!;
    this.cols.meta[s] = from.meta[k]!;
    this.cols.src[s] = from.src[k]!;
    this.cols.text[s] = from.text[k]!;
  }

  /** Only while not yet full, so the ring has not wrapped (head is 0). */
  private grow(): void {
    const next = Math.min(this.capacity, this.alloc * 2);
    const c = makeColumns(next);
    c.ms.set(this.cols.ms);
    c.ns.set(this.cols.ns);
    c.meta.set(this.cols.meta);
    c.src.set(this.cols.src);
    for (let i = 0; i < this.count; i++) c.text[i] = this.cols.text[i]!;
    this.cols = c;
    this.alloc = next;
  }

  private emit(change: StoreChange): void {
    this.version++;
    for (const l of this.listeners) l(change);
  }
}

function stableOrder(b: Column): number[] {
  return Array.from(b.ms, (_, j) => j).sort((x, y) => b.ms[x]! - b.ms[y]! || b.ns[x]! - b.ns[y]! || x - y);
}
