import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Container } from "../../agents/protocol";
import { nextRetryDelay } from "../../server/domain/alerts/backoff";
import { evaluateRules } from "../../server/domain/alerts/evaluate-rules";
import {
  aboveThreshold, containerDied, containerRestarting, containerUnhealthy, countInWindow, hostOffline, nextStreak, type Streak,
} from "../../server/domain/alerts/evaluators";
import { hostsInScope, labelsMatch, type FleetView } from "../../server/domain/alerts/fleet-scope";
import { Observations } from "../../server/domain/alerts/observations";
import { parseLabelSelector, toRule, validateRuleSpec, type Rule } from "../../server/domain/alerts/rule-schemas";
import { checkWebhookUrl, signBody } from "../../server/domain/alerts/webhook-sender";
import type { DockerEventItem } from "../../server/domain/events/event-item";
import { HostRegistry } from "../../server/realtime/host-registry";

const container = (id: string, over: Partial<Container> = {}): Container => ({
  id: id.padEnd(64, "0"), name: id, image: "img", imageId: "sha256:x", command: "sh", state: "running", status: "", health: "none",
  createdAt: 0, startedAt: 1_000, finishedAt: null, exitCode: null, ports: [], labels: {}, networks: [], restartCount: 0, ...over,
});

describe("host_offline", () => {
  it.each([
    [{ online: true, offlineSince: 0 }, 100_000, false],
    [{ online: false, offlineSince: 10_000 }, 14_999, false],
    [{ online: false, offlineSince: 10_000 }, 15_000, true],
  ])("%o at %d -> firing %s", (host, now, firing) => {
    expect(hostOffline({ seconds: 5 }, host, now).firing).toBe(firing);
  });
  it("says for how long", () => expect(hostOffline({ seconds: 5 }, { online: false, offlineSince: 0 }, 12_400).message).toBe("offline for 12 s"));
});

describe("container_died", () => {
  const mark = { t: 5_000, exitCode: 137 };
  it("fires on a recorded die until the container runs again, started after the die", () => {
    expect(containerDied({ ignoreCleanExit: true }, mark, container("a", { state: "exited" }))?.firing).toBe(true);
    expect(containerDied({ ignoreCleanExit: true }, mark, container("a", { state: "exited" }))?.message).toBe("exited with code 137 (killed)");
    expect(containerDied({ ignoreCleanExit: true }, mark, container("a", { state: "running", startedAt: 4_000 }))?.firing).toBe(true); // stale record
    expect(containerDied({ ignoreCleanExit: true }, mark, container("a", { state: "running", startedAt: 6_000 }))).toBeNull();
    expect(containerDied({ ignoreCleanExit: true }, undefined, container("a"))).toBeNull();
  });
  it("ignores clean exits unless asked not to", () => {
    expect(containerDied({ ignoreCleanExit: true }, { t: 1, exitCode: 0 }, undefined)).toBeNull();
    expect(containerDied({ ignoreCleanExit: false }, { t: 1, exitCode: 0 }, undefined)?.firing).toBe(true);
  });
});

describe("container_unhealthy", () => {
  it.each([
    [null, 10_000, 0, false],
    [10_000, 10_000, 0, true],
    [10_000, 12_000, 3, false],
    [10_000, 13_000, 3, true],
  ])("unhealthy since %s, now %d, after %d s -> %s", (since, now, seconds, firing) => {
    expect(containerUnhealthy({ seconds }, since, now).firing).toBe(firing);
  });
});

describe("container_restarting", () => {
  const min = 60_000;
  it("counts restarts inside the sliding window only", () => {
    expect(countInWindow([0, 1 * min, 2 * min, 9 * min], 10 * min, 5)).toBe(1);
    expect(countInWindow([6 * min, 7 * min, 10 * min, 11 * min], 10 * min, 5)).toBe(3); // the future one is not counted
  });
  it("fires on more than `count` and resolves as the window slides past", () => {
    const times = [1 * min, 2 * min, 3 * min, 4 * min];
    expect(containerRestarting({ count: 3, minutes: 5 }, times, 4 * min).firing).toBe(true);
    expect(containerRestarting({ count: 3, minutes: 5 }, times, 4 * min).message).toBe("restarted 4 times in 5 min");
    expect(containerRestarting({ count: 3, minutes: 5 }, times, 6 * min + 1).firing).toBe(false);
    expect(containerRestarting({ count: 4, minutes: 5 }, times, 4 * min).firing).toBe(false);
  });
});

describe("cpu_above / memory_above runs", () => {
  const feed = (samples: [number, number | null][], threshold = 80): Streak | undefined =>
    samples.reduce<Streak | undefined>((s, [t, v]) => nextStreak(s, t, v, threshold), undefined);
  it.each([
    ["one sample above, 0 s asked", [[0, 90]], 0, true],
    ["above for 4 s of 5", [[0, 90], [2_000, 95], [4_000, 91]], 5, false],
    ["above for 5 s", [[0, 90], [2_000, 95], [5_000, 91]], 5, true],
    ["a dip restarts the run", [[0, 90], [2_000, 50], [3_000, 90], [7_000, 90]], 5, false],
    ["at the threshold is not above", [[0, 80], [10_000, 80]], 0, false],
    ["missing values do not break the run", [[0, 90], [3_000, null], [6_000, 90]], 5, true],
    ["a late sample is ignored", [[0, 90], [6_000, 90], [3_000, 10]], 5, true],
  ] as const)("%s", (_name, samples, seconds, firing) => {
    expect(aboveThreshold({ threshold: 80, seconds }, feed(samples as unknown as [number, number | null][]), "CPU").firing).toBe(firing);
  });
  it("describes the value", () => {
    expect(aboveThreshold({ threshold: 80, seconds: 0 }, feed([[0, 91.26]]), "memory").message).toBe("memory 91.3% above 80% for 0 s");
  });
});

describe("webhook backoff", () => {
  const opts = { baseMs: 1_000, maxMs: 30_000, maxAttempts: 6, jitter: 0 };
  it("doubles from the base, caps at the maximum, and gives up after maxAttempts", () => {
    expect([1, 2, 3, 4, 5].map((n) => nextRetryDelay(n, opts))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000]);
    expect(nextRetryDelay(5, { ...opts, maxMs: 10_000 })).toBe(10_000);
    expect(nextRetryDelay(6, opts)).toBeNull();
  });
  it("adds at most the jitter fraction", () => {
    expect(nextRetryDelay(2, { ...opts, jitter: 0.5 }, () => 1)).toBe(3_000);
    expect(nextRetryDelay(2, { ...opts, jitter: 0.5 }, () => 0)).toBe(2_000);
  });
});

describe("rule validation", () => {
  it.each([
    [{ kind: "host_offline", params: { seconds: 30 } }, true],
    [{ kind: "host_offline", params: {} }, false],
    [{ kind: "host_offline", params: { seconds: 30, extra: 1 } }, false],
    [{ kind: "cpu_above", params: { threshold: 101, seconds: 5 } }, false],
    [{ kind: "cpu_above", params: { threshold: 90, seconds: 5 }, target: "container", labelSelector: "tier=web" }, true],
    [{ kind: "cpu_above", params: { threshold: 90, seconds: 5 }, labelSelector: "tier=web" }, false], // host target: no labels
    [{ kind: "container_died", params: {}, target: "host" }, false],
    [{ kind: "container_restarting", params: { count: 3, minutes: 0 } }, false],
    [{ kind: "nope", params: {} }, false],
  ])("%o -> %s", (spec, ok) => {
    expect(validateRuleSpec(spec).ok).toBe(ok);
  });
  it("names the field at fault", () => {
    expect(validateRuleSpec({ kind: "memory_above", params: { threshold: "x", seconds: 1 } })).toMatchObject({ ok: false, message: expect.stringMatching(/^params\.threshold/) });
  });
  it("refuses stored rules that no longer validate", () => {
    const row = { id: "r", name: "n", kind: "host_offline", params: "{", target: "host", hostGroupId: null, labelSelector: null, enabled: true, webhooks: [] };
    expect(toRule(row)).toBeNull();
    expect(toRule({ ...row, params: '{"seconds":3}' })?.params).toEqual({ seconds: 3 });
  });
});

describe("scope", () => {
  const fleet: FleetView = {
    hosts: new Map([["h1", { name: "one", lastSeenAt: null }], ["h2", { name: "two", lastSeenAt: null }]]),
    groups: new Map<string, Set<string> | "all">([["g1", new Set(["h2"])], ["all", "all"]]),
  };
  it.each([[null, ["h1", "h2"]], ["g1", ["h2"]], ["all", ["h1", "h2"]], ["deleted", []]])("group %s -> %o", (g, hosts) => {
    expect(hostsInScope({ hostGroupId: g }, fleet)).toEqual(hosts);
  });
  it.each([
    ["tier=web", { tier: "web" }, true],
    ["tier=web", { tier: "db" }, false],
    ["tier", { tier: "db" }, true],
    ["tier", {}, false],
    ["a.b/c=x=y", { "a.b/c": "x=y" }, true],
  ])("%s on %o -> %s", (sel, labels, ok) => {
    expect(labelsMatch(parseLabelSelector(sel), labels)).toBe(ok);
  });
});

describe("evaluateRules over observations", () => {
  const rule = (over: Partial<Rule>): Rule => ({ id: "r1", name: "r", kind: "container_died", params: { ignoreCleanExit: true }, target: "container", hostGroupId: null, labelSelector: null, enabled: true, webhookIds: [], ...over });
  const fleet: FleetView = { hosts: new Map([["h1", { name: "one", lastSeenAt: null }]]), groups: new Map() };
  const ev = (action: string, id: string, t: number, attributes: Record<string, string> = {}): DockerEventItem =>
    ({ id: t, hostId: "h1", hostName: "one", time: new Date(t).toISOString(), type: "container", action, actorId: id.padEnd(64, "0"), actorName: id, attributes });

  it("a die event fires container_died for a matching container; a later start resolves it", () => {
    const registry = new HostRegistry();
    const obs = new Observations();
    registry.connected("h1");
    registry.applySnapshot("h1", { generation: 1, facts: null as never, runtime: null as never, containers: [container("web", { state: "exited", labels: { tier: "web" } }), container("db", { state: "exited" })] });
    obs.noteEvents([ev("die", "web", 5_000, { exitCode: "137" }), ev("die", "db", 5_000, { exitCode: "1" })]);
    const run = () => evaluateRules({ rules: [rule({ labelSelector: { key: "tier", value: "web" } })], fleet, live: (id) => registry.get(id), obs, now: 6_000, startedAt: 0 });
    const judged = [...run().values()];
    expect(judged.map((j) => [j.subject, j.verdict.firing])).toEqual([["web on one", true]]);
    registry.applyChange("h1", { kind: "upsert", generation: 1, action: "start", time: 7_000, container: container("web", { state: "running", startedAt: 7_000, labels: { tier: "web" } }) });
    expect([...run().values()].map((j) => j.verdict.firing)).toEqual([false]);
  });

  it("counts a start after a die as a restart, and forgets removed containers", () => {
    const obs = new Observations();
    obs.noteEvents([ev("start", "x", 1), ev("die", "x", 2), ev("start", "x", 3), ev("die", "x", 4), ev("start", "x", 5), ev("start", "x", 6)]);
    expect(obs.restarts.get(`h1|${"x".padEnd(64, "0")}`)).toEqual([3, 5]);
    obs.noteContainers("h1", new Map(), 10);
    expect(obs.restarts.size + obs.deaths.size).toBe(0);
  });

  it("a stop on request clears the death (docker stop), a kill does not", () => {
    const obs = new Observations();
    obs.noteEvents([ev("kill", "s", 1), ev("die", "s", 2, { exitCode: "143" }), ev("stop", "s", 3), ev("kill", "k", 1), ev("die", "k", 2, { exitCode: "137" })]);
    expect([...obs.deaths.keys()]).toEqual([`h1|${"k".padEnd(64, "0")}`]);
  });

  it("host_offline counts from the engine start for hosts never seen, and from the last sighting otherwise", () => {
    const registry = new HostRegistry();
    const offline = rule({ kind: "host_offline", params: { seconds: 10 }, target: "host" });
    const judge = (now: number) => evaluateRules({ rules: [offline], fleet, live: (id) => registry.get(id), obs: new Observations(), now, startedAt: 1_000 }).get("r1|h1|")!.verdict.firing;
    expect([judge(10_999), judge(11_000)]).toEqual([false, true]);
    registry.connected("h1", 20_000);
    expect(judge(40_000)).toBe(false);
    registry.seen("h1", 45_000); // its last heartbeat; the server notices the silence at 50_000
    registry.disconnected("h1", 50_000);
    expect([judge(54_999), judge(55_000)]).toEqual([false, true]);
  });
});

describe("webhook URLs and signatures", () => {
  it.each([
    ["https://hooks.example.test/a?b=c", null],
    ["http://127.0.0.1:8080/hook", null],
    ["ftp://x.test/", "only http:// and https:// URLs are allowed"],
    ["file:///etc/passwd", "only http:// and https:// URLs are allowed"],
    ["https://user:pw@x.test/", "put credentials in the secret, not in the URL"],
    ["not a url", "not a URL"],
  ])("%s -> %s", (url, problem) => expect(checkWebhookUrl(url)).toBe(problem));
  it("signs timestamp.body with HMAC-SHA256 (what a receiver recomputes)", () => {
    const expected = crypto.createHmac("sha256", "s3cret-s3cret-s3cret").update("1700000000.{\"a\":1}").digest("hex");
    expect(signBody("s3cret-s3cret-s3cret", "1700000000", '{"a":1}')).toBe(`sha256=${expected}`);
  });
});
