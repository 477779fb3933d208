import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { createFleetRefresher, type PushedChange } from "../../app/_components/fleet-refresh";
import type { FleetContainer, HostSummary } from "../../app/_components/trpc";

// The fleet page mounts, its first containers.list is on the wire (answered before the container
// existed), and a change arrives with the host's new state. The change must not be lost under that
// older answer: seen in CI as a fleet page stuck on "0 of 0 containers" while the host page updated.
const CONTAINERS_KEY = [["containers", "list"], { type: "query" }];
const HOSTS_KEY = [["hosts", "list"], { type: "query" }];
const trpc = {
  containers: { list: { queryKey: () => CONTAINERS_KEY }, pathKey: () => [["containers"]] },
  hosts: { list: { queryKey: () => HOSTS_KEY }, pathKey: () => [["hosts"]] },
};
const web = { id: "w".repeat(64), name: "web", hostId: "b", hostName: "engine-b", state: "running" } as unknown as FleetContainer;
const hostB = { id: "b", name: "engine-b" } as unknown as HostSummary;

describe("[FLEET][LIVE] refresher", () => {
  it("a change pushed while the first list is still loading is merged once that list lands", async () => {
    const queryClient = new QueryClient();
    let answerFirst!: (l: FleetContainer[]) => void;
    const first = queryClient.fetchQuery({ queryKey: CONTAINERS_KEY, queryFn: () => new Promise<FleetContainer[]>((r) => (answerFirst = r)) });
    const reads: string[] = [];
    const client = {
      containers: { list: { query: async ({ hostId }: { hostId: string }) => (reads.push(hostId), hostId === "b" ? [web] : []) } },
      hosts: { get: { query: async () => hostB } },
    };
    const refresher = createFleetRefresher(queryClient, trpc as never, client as never);
    const change: PushedChange = { hostId: "b", kinds: ["containers"], host: hostB, containers: [web] };
    refresher.apply([change]);
    await new Promise((r) => setTimeout(r, 20));
    answerFirst([]); // the first answer: read before the container existed
    await first;
    await expect.poll(() => (queryClient.getQueryData(CONTAINERS_KEY) as FleetContainer[] | undefined)?.map((c) => c.name)).toEqual(["web"]);
    expect(reads).toEqual(["b"]);
  });

  it("a change with the host's state lands at once when nothing is loading", async () => {
    const queryClient = new QueryClient();
    queryClient.setQueryData(CONTAINERS_KEY, []);
    const client = { containers: { list: { query: async () => [] } }, hosts: { get: { query: async () => hostB } } };
    createFleetRefresher(queryClient, trpc as never, client as never).apply([{ hostId: "b", kinds: ["containers"], host: hostB, containers: [web] }]);
    expect((queryClient.getQueryData(CONTAINERS_KEY) as FleetContainer[]).map((c) => c.name)).toEqual(["web"]);
  });
});
