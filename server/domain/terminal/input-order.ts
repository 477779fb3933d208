/** Out-of-order input messages held per session before the gap counts as lost. */
const MAX_HELD = 256;

/**
 * Puts a session's input back in the order the browser typed it. Each message is authorised on
 * its own (asynchronously), so two keystrokes may finish their checks in either order; `seq` says
 * which came first. Returns what may be forwarded now, in order; null when the gap grew too big.
 */
export class InputOrder {
  private next = 0;
  private readonly held = new Map<number, string>();

  accept(seq: number, data: string): string[] | null {
    if (seq < this.next || this.held.has(seq)) return []; // a duplicate: already forwarded or held
    this.held.set(seq, data);
    if (this.held.size > MAX_HELD) return null;
    const ready: string[] = [];
    for (let item = this.held.get(this.next); item !== undefined; item = this.held.get(this.next)) {
      ready.push(item);
      this.held.delete(this.next++);
    }
    return ready;
  }
}
