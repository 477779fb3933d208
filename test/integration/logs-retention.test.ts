import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failure, startControlEnv, type ControlEnv } from "../support/control-env";
import { docker } from "../support/docker-cli";
import { waitFor } from "../support/test-services";

const IMAGE = "local/busybox:latest";
let env: ControlEnv;

beforeAll(async () => {
  env = await startControlEnv("retain");
  await env.services.logs.retention.start();
}, 60_000);
afterAll(async () => {
  env?.services.logs.retention.stop();
  await env?.stop();
});

async function run(suffix: string, labels: string[], script: string): Promise<string> {
  const labelArgs = ["portolan.test=1", `portolan.run=${env.run}`, ...labels].flatMap((l) => ["--label", l]);
  const id = (await docker(["run", "-d", "--name", env.name(suffix), ...labelArgs, IMAGE, "sh", "-c", script])).trim();
  await waitFor(() => env.services.registry.get(env.hostId)?.containers.get(id), `container ${suffix} known to the server`);
  return id;
}

const stored = (containerId: string) => env.services.db.retainedLogLine.findMany({ where: { containerId }, orderBy: { id: "asc" } });

describe("[LOGS] retention: opted-in logs outlive their container", () => {
  it("keeps only opted-in containers, across an agent restart without duplicates, searchable after removal", async () => {
    const { id: ruleId } = await env.as("admin").logs.retention.set({ label: `portolan.keep=${env.run}`, maxMb: 50, maxDays: 7 });
    const kept = await run("kept", [`portolan.keep=${env.run}`], 'i=0; while [ $i -lt 150 ]; do i=$((i+1)); echo "kept $i"; sleep 0.02; done; echo "needle-in-kept"; sleep 3600');
    const notKept = await run("not-kept", [], 'echo "needle-elsewhere"; sleep 3600');
    await waitFor(async () => (await stored(kept)).some((l) => l.text === "kept 40"), "first retained lines", 20_000);
    await env.restartAgent({ downMs: 1_000 });
    await waitFor(async () => (await stored(kept)).some((l) => l.text === "needle-in-kept"), "retained up to the end", 30_000);
    const rows = await stored(kept);
    expect(rows.map((r) => r.text)).toEqual([...Array.from({ length: 150 }, (_, i) => `kept ${i + 1}`), "needle-in-kept"]);
    expect(rows.every((r) => r.ruleId === ruleId)).toBe(true);
    expect(await stored(notKept)).toEqual([]);
    const listed = await env.as("viewer").logs.retention.list();
    expect(listed.rules).toEqual([{ id: ruleId, hostId: null, hostName: null, label: `portolan.keep=${env.run}`, maxMb: 50, maxDays: 7 }]);
    expect(listed.containers).toEqual([expect.objectContaining({ hostId: env.hostId, containerId: kept, ruleId, lines: 151 })]);

    await docker(["rm", "-f", kept]);
    await waitFor(() => !env.services.registry.get(env.hostId)?.containers.get(kept), "container gone");
    const found = await env.as("viewer").logs.search({ query: "NEEDLE" });
    expect(found.lines.map((l) => [l.containerId, l.text])).toEqual([[kept, "needle-in-kept"]]);
    const regex = await env.as("viewer").logs.search({ query: "^kept 1[0-4]$", regex: true, caseSensitive: true });
    expect(regex.lines.map((l) => l.text)).toEqual(["kept 10", "kept 11", "kept 12", "kept 13", "kept 14"]);
    const read = await env.as("viewer").logs.read({ hostId: env.hostId, containerId: kept, tail: 2 });
    expect(read).toMatchObject({ source: "retained", lines: [{ text: "kept 150" }, { text: "needle-in-kept" }] });

    // Removing the rule deletes what it kept.
    await env.as("admin").logs.retention.remove({ ruleId });
    expect(await stored(kept)).toEqual([]);
    const audit = await env.services.db.auditEvent.findMany({ where: { action: { startsWith: "logs.retention." } } });
    expect(audit.map((a) => a.action).sort()).toEqual(["logs.retention.remove", "logs.retention.set"]);
  }, 90_000);

  it("holds each container within its rule's size, oldest lines dropped first", async () => {
    const { id: ruleId } = await env.as("admin").logs.retention.set({ hostId: env.hostId, label: `portolan.big=${env.run}`, maxMb: 1, maxDays: 7 });
    const big = await run("big", [`portolan.big=${env.run}`], 'i=0; while [ $i -lt 3000 ]; do i=$((i+1)); echo "$i $(head -c 600 /dev/zero | tr "\\0" z)"; done; echo last; sleep 3600');
    await waitFor(async () => (await stored(big)).some((l) => l.text === "last"), "all lines retained", 30_000);
    await env.services.logs.retention.prune();
    const rows = await stored(big);
    const bytes = rows.reduce((n, r) => n + r.bytes, 0);
    expect(bytes).toBeLessThanOrEqual(1024 * 1024);
    expect(bytes).toBeGreaterThan(900 * 1024);
    expect(rows.at(-1)!.text).toBe("last");
    expect(Number(rows[0]!.text.split(" ")[0])).toBeGreaterThan(1000); // the oldest went first
    await env.as("admin").logs.retention.remove({ ruleId });
  }, 90_000);

  it("refuses a regex that would stall the server, and bad patterns, with a clear error", async () => {
    const { id: ruleId } = await env.as("admin").logs.retention.set({ label: `portolan.redos=${env.run}`, maxMb: 5, maxDays: 1 });
    const id = await run("redos", [`portolan.redos=${env.run}`], `echo "${"a".repeat(40)}!"; sleep 3600`);
    await waitFor(async () => (await stored(id)).length === 1, "line retained", 20_000);
    expect(await failure(env.as("viewer").logs.search({ query: "^(a+)+$", regex: true }))).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/too long/) });
    expect(await failure(env.as("viewer").logs.search({ query: "([", regex: true }))).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/invalid regular expression/) });
    await env.as("admin").logs.retention.remove({ ruleId });
  }, 60_000);
});
