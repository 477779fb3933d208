import { describe, expect, it } from "vitest";
import { ChainVerifier, entryHash, GENESIS_HASH, type ChainRow } from "../../server/domain/audit/audit-chain";

function chain(n: number): ChainRow[] {
  const rows: ChainRow[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const fields = { at: new Date(1_700_000_000_000 + i), actorId: null, actor: "x", sourceIp: null, hostId: null, action: "a", target: null, params: null, result: "ok" };
    const hash = entryHash(prev, fields);
    rows.push({ ...fields, id: i, prevHash: prev, hash });
    prev = hash;
  }
  return rows;
}

describe("ChainVerifier", () => {
  it("accepts an intact chain, also when fed page by page", () => {
    const rows = chain(5);
    const v = new ChainVerifier();
    v.feed(rows.slice(0, 2));
    v.feed(rows.slice(2));
    expect(v.verdict()).toEqual({ ok: true, entries: 5, preChain: 0, head: rows[4]!.hash });
  });
  it.each([
    ["modified", (r: ChainRow[]) => { r[2] = { ...r[2]!, result: "denied" }; }, 3, /modified/],
    ["removed", (r: ChainRow[]) => { r.splice(2, 1); }, 4, /removed/],
    ["reordered", (r: ChainRow[]) => { [r[1], r[2]] = [r[2]!, r[1]!]; }, 3, /removed, inserted or reordered/],
  ] as const)("reports the first broken link when an entry is %s", (_name, tamper, brokenAt, reason) => {
    const rows = chain(5);
    tamper(rows);
    const v = new ChainVerifier();
    v.feed(rows);
    expect(v.verdict()).toMatchObject({ ok: false, brokenAt, reason: expect.stringMatching(reason) });
  });
  it("allows pre-chain entries only before the chain", () => {
    const pre = { ...chain(1)[0]!, id: 1, prevHash: "pre-chain:1", hash: "pre-chain:1" };
    const rows = chain(2).map((r) => ({ ...r, id: r.id + 1 }));
    const v = new ChainVerifier();
    v.feed([pre, ...rows]);
    expect(v.verdict()).toMatchObject({ ok: true, preChain: 1, entries: 3 });
    const late = new ChainVerifier();
    late.feed([...chain(2), { ...pre, id: 3 }]);
    expect(late.verdict()).toMatchObject({ ok: false, brokenAt: 3 });
  });
});
