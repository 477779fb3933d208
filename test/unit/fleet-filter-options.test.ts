import { describe, expect, it } from "vitest";
import type { FleetContainer, HostSummary } from "../../app/_components/trpc";
import { deriveFilterChoices as deriveFromRuns, summariseRun, type FilterChoices } from "../../app/_components/fleet-filter-options";
import { createHostRunMemo } from "../../app/_components/host-runs";

// As the page does: containers (sorted by host) summarised per host run, then the choices.
const deriveFilterChoices = (hosts: HostSummary[], containers: FleetContainer[], previous: FilterChoices | null) => deriveFromRuns(hosts, createHostRunMemo(summariseRun)(containers), previous);

const host = (id: string, name: string) => ({ id, name }) as HostSummary;
const ctr = (hostId: string, hostName: string, state: string, image: string) => ({ hostId, hostName, state, image }) as FleetContainer;

describe("fleet filter choices", () => {
  const hosts = [host("h2", "beta"), host("h1", "Alpha"), host("h3", "gamma")];
  const containers = [ctr("h1", "Alpha", "running", "redis:7"), ctr("h2", "beta", "exited", "nginx:1"), ctr("h9", "zulu-gone", "running", "Busybox")];

  it("offers every host (listed or only seen on a container) by name, the states present and the images sorted", () => {
    const c = deriveFilterChoices(hosts, containers, null);
    expect(c.hosts).toEqual([["h1", "Alpha"], ["h2", "beta"], ["h3", "gamma"], ["h9", "zulu-gone"]]);
    expect([...c.states].sort()).toEqual(["exited", "running"]);
    expect(c.images).toEqual(["Busybox", "nginx:1", "redis:7"]);
  });

  it("keeps the previous arrays while their content is the same, and replaces only what changed", () => {
    const first = deriveFilterChoices(hosts, containers, null);
    // A live update: new objects, same hosts, states and images.
    const same = deriveFilterChoices(hosts.map((h) => ({ ...h })), containers.map((c) => ({ ...c })), first);
    expect(same.hosts).toBe(first.hosts);
    expect(same.states).toBe(first.states);
    expect(same.images).toBe(first.images);

    const renamed = deriveFilterChoices([host("h2", "aardvark"), ...hosts.slice(1)], containers, first);
    expect(renamed.hosts).not.toBe(first.hosts);
    expect(renamed.hosts[0]).toEqual(["h2", "aardvark"]);
    expect(renamed.images).toBe(first.images);

    const newImage = deriveFilterChoices(hosts, [...containers.slice(0, 2), ctr("h3", "gamma", "paused", "alpine:3"), containers[2]!], first);
    expect(newImage.images).toEqual(["alpine:3", "Busybox", "nginx:1", "redis:7"]);
    expect([...newImage.states].sort()).toEqual(["exited", "paused", "running"]);
    expect(newImage.hosts).toBe(first.hosts);

    const gone = deriveFilterChoices(hosts, containers.slice(0, 2), first); // h9's last container went
    expect(gone.hosts.map(([id]) => id)).toEqual(["h1", "h2", "h3"]);
    expect(gone.images).toEqual(["nginx:1", "redis:7"]);
  });
});
