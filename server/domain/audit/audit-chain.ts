import { sha256 } from "../../crypto";

/** prevHash of the first chained entry. Entries from before the chain carry "pre-chain:<id>". */
export const GENESIS_HASH = "0".repeat(64);
export const PRE_CHAIN_PREFIX = "pre-chain:";

export type ChainedFields = {
  at: Date;
  actorId: string | null;
  actor: string;
  sourceIp: string | null;
  hostId: string | null;
  action: string;
  target: string | null;
  params: string | null;
  result: string;
};

/** The hash of one entry: it covers every stored field and the previous entry's hash. */
export function entryHash(prevHash: string, e: ChainedFields): string {
  const canonical = JSON.stringify([
    prevHash, e.at.toISOString(), e.actorId, e.actor, e.sourceIp, e.hostId, e.action, e.target, e.params, e.result,
  ]);
  return sha256(canonical);
}

export type ChainRow = ChainedFields & { id: number; prevHash: string; hash: string };

export type ChainVerdict =
  | { ok: true; entries: number; preChain: number; head: string }
  | { ok: false; entries: number; brokenAt: number; reason: string };

/**
 * Checks rows in id order, fed page by page. Pre-chain entries are only allowed before the first
 * chained one; each chained entry must point at the previous hash and hash to what it says.
 */
export class ChainVerifier {
  private expectedPrev = GENESIS_HASH;
  private chained = 0;
  private preChain = 0;
  private broken: { id: number; reason: string } | null = null;

  feed(rows: readonly ChainRow[]): boolean {
    for (const row of rows) {
      if (this.broken) return false;
      if (row.prevHash.startsWith(PRE_CHAIN_PREFIX)) {
        if (this.chained > 0) this.broken = { id: row.id, reason: "a pre-chain entry appears after the chain started" };
        else this.preChain++;
        continue;
      }
      if (row.prevHash !== this.expectedPrev) {
        this.broken = { id: row.id, reason: "prevHash does not match the previous entry's hash (an entry was removed, inserted or reordered)" };
      } else if (entryHash(row.prevHash, row) !== row.hash) {
        this.broken = { id: row.id, reason: "the entry's contents do not match its hash (it was modified)" };
      } else {
        this.expectedPrev = row.hash;
        this.chained++;
      }
    }
    return !this.broken;
  }

  verdict(): ChainVerdict {
    const entries = this.chained + this.preChain;
    if (this.broken) return { ok: false, entries, brokenAt: this.broken.id, reason: this.broken.reason };
    return { ok: true, entries, preChain: this.preChain, head: this.expectedPrev };
  }
}
