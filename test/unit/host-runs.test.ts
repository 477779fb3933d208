import { describe, expect, it } from "vitest";
import type { FleetContainer } from "../../app/_components/trpc";
import { createHostRunMemo } from "../../app/_components/host-runs";

const ctr = (hostId: string, name: string) => ({ hostId, name }) as FleetContainer;
const names = (runs: readonly (readonly FleetContainer[])[]) => runs.map((r) => r.map((c) => `${c.hostId}/${c.name}`));

describe("per-host memo over the fleet list", () => {
  it("computes each host's run once, then again only for a host whose container objects changed", () => {
    const seen: string[] = [];
    const memo = createHostRunMemo((run) => (seen.push(run[0]!.hostId), [...run]));
    const a = [ctr("a", "1"), ctr("a", "2")];
    const b = [ctr("b", "1")];
    const c = [ctr("c", "1"), ctr("c", "2")];
    expect(names(memo([...a, ...b, ...c]))).toEqual([["a/1", "a/2"], ["b/1"], ["c/1", "c/2"]]);
    expect(seen).toEqual(["a", "b", "c"]);

    const b2 = [ctr("b", "1"), ctr("b", "3")]; // b's containers replaced by a live update
    expect(names(memo([...a, ...b2, ...c]))).toEqual([["a/1", "a/2"], ["b/1", "b/3"], ["c/1", "c/2"]]);
    expect(seen).toEqual(["a", "b", "c", "b"]);

    expect(names(memo([...a, ...c]))).toEqual([["a/1", "a/2"], ["c/1", "c/2"]]); // b is gone
    expect(names(memo([...a, ...b2, ...c]))).toEqual([["a/1", "a/2"], ["b/1", "b/3"], ["c/1", "c/2"]]);
    expect(seen).toEqual(["a", "b", "c", "b", "b"]); // a forgotten host's run is computed afresh
  });

  it("gives each run its own result when one host's containers are split by another's (two hosts of one name)", () => {
    const memo = createHostRunMemo((run) => run.map((c) => c.name));
    const list = [ctr("x", "a"), ctr("y", "b"), ctr("x", "c")];
    expect(memo(list)).toEqual([["a"], ["b"], ["c"]]);
    expect(memo(list)).toEqual([["a"], ["b"], ["c"]]);
  });
});
