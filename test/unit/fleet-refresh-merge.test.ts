import { describe, expect, it } from "vitest";
import { mergeHostContainers, mergeHostsContainers } from "../../app/_components/fleet-refresh";
import type { FleetContainer } from "../../app/_components/trpc";

// A nudge for one host replaces that host's containers in the cached fleet-wide list; the list must
// come out exactly as the server would have sorted it (host name, then container name).
const c = (hostId: string, hostName: string, name: string, state = "running") => ({ id: `${hostId}-${name}`, hostId, hostName, name, state }) as unknown as FleetContainer;
const names = (l: readonly FleetContainer[]) => l.map((x) => `${x.hostName}/${x.name}:${x.state}`);

const list = [c("h1", "alpha", "a"), c("h1", "alpha", "b"), c("h2", "beta", "a"), c("h3", "gamma", "z")];

describe("[FLEET][LIVE] per-host merge of the container list", () => {
  it.each([
    ["a changed state", "h2", [c("h2", "beta", "a", "exited")], ["alpha/a:running", "alpha/b:running", "beta/a:exited", "gamma/z:running"]],
    ["a container added", "h2", [c("h2", "beta", "a"), c("h2", "beta", "c")], ["alpha/a:running", "alpha/b:running", "beta/a:running", "beta/c:running", "gamma/z:running"]],
    ["every container removed", "h1", [], ["beta/a:running", "gamma/z:running"]],
    ["a host not in the list yet", "h0", [c("h0", "aardvark", "m"), c("h0", "aardvark", "n")], ["aardvark/m:running", "aardvark/n:running", "alpha/a:running", "alpha/b:running", "beta/a:running", "gamma/z:running"]],
    ["the last host", "h4", [c("h4", "zulu", "x")], ["alpha/a:running", "alpha/b:running", "beta/a:running", "gamma/z:running", "zulu/x:running"]],
  ])("%s", (_label, hostId, fresh, expected) => {
    const merged = mergeHostContainers(list, hostId, fresh);
    expect(names(merged)).toEqual(expected);
    expect(names(list)).toHaveLength(4); // the cached list itself is not mutated
  });

  it("other hosts' entries are kept as the same objects (React rows do not re-render)", () => {
    const merged = mergeHostContainers(list, "h2", [c("h2", "beta", "a", "paused")]);
    expect(merged[0]).toBe(list[0]);
    expect(merged.at(-1)).toBe(list.at(-1));
  });

  it("several hosts in one pass: each host's containers replaced, the order as the server sorts it", () => {
    const merged = mergeHostsContainers(list, new Map([
      ["h3", [c("h3", "gamma", "y")]],
      ["h1", [c("h1", "alpha", "b", "exited")]],
      ["h0", [c("h0", "aardvark", "m")]],
    ]));
    expect(names(merged)).toEqual(["aardvark/m:running", "alpha/b:exited", "beta/a:running", "gamma/y:running"]);
    expect(merged[2]).toBe(list[2]);
  });
});
