/** Readings per chunk: a ring is built of chunks and takes a new one every CHUNK_SLOTS readings. */
export const CHUNK_SLOTS = 64;
const SLAB_SHIFT = 10; // 1,024 chunks per slab: 2.6 MB for a container's width
const CHUNKS_PER_SLAB = 1 << SLAB_SHIFT;

/**
 * Storage for metric rings of one width, in large typed-array slabs carved into fixed chunks.
 *
 * Why not an array pair per ring: at 2,000 hosts × 20 containers that is 84,000 array buffers, each
 * regrown (allocated, zero-filled, copied) as its ring fills. Hosts that connected together grow their
 * rings in the same second, which stalled the event loop for 100–300 ms and pushed V8 into a full
 * collection for every 64 MB of new buffers. Here a ring takes one small chunk at a time from a free
 * list, a new slab is allocated once per 1,024 chunks, and released chunks are reused.
 */
export class SampleSlabs {
  private readonly timeSlabs: Float64Array[] = [];
  private readonly valueSlabs: Float32Array[] = [];
  private readonly free: number[] = [];
  private next = 0; // chunks handed out from the newest slab so far, over all slabs

  constructor(readonly width: number) {}

  /** A chunk's id; its slots hold stale readings until written. */
  take(): number {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    const id = this.next++;
    if (id >> SLAB_SHIFT === this.timeSlabs.length) {
      this.timeSlabs.push(new Float64Array(CHUNKS_PER_SLAB * CHUNK_SLOTS));
      this.valueSlabs.push(new Float32Array(CHUNKS_PER_SLAB * CHUNK_SLOTS * this.width));
    }
    return id;
  }

  /** Returns a chunk for reuse; the caller must not touch it again. */
  give(id: number): void {
    this.free.push(id);
  }

  /** The slab holding a chunk's times (index with timeIndex). */
  times(id: number): Float64Array {
    return this.timeSlabs[id >> SLAB_SHIFT]!;
  }

  /** The slab holding a chunk's values (index with valueIndex). */
  values(id: number): Float32Array {
    return this.valueSlabs[id >> SLAB_SHIFT]!;
  }

  /** The time stored in a chunk's slot. */
  timeAt(id: number, slot: number): number {
    return this.times(id)[this.timeIndex(id, slot)]!;
  }

  /** Index in `times(id)` of the chunk's slot. */
  timeIndex(id: number, slot: number): number {
    return (id & (CHUNKS_PER_SLAB - 1)) * CHUNK_SLOTS + slot;
  }

  /** Index in `values(id)` of the slot's first metric. */
  valueIndex(id: number, slot: number): number {
    return this.timeIndex(id, slot) * this.width;
  }

  /** Chunks in use, and bytes allocated in slabs (for tests and benchmarks). */
  usage(): { chunksInUse: number; bytes: number } {
    const bytes = this.timeSlabs.reduce((a, s) => a + s.byteLength, 0) + this.valueSlabs.reduce((a, s) => a + s.byteLength, 0);
    return { chunksInUse: this.next - this.free.length, bytes };
  }
}
