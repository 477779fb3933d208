import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Access } from "../../server/auth/access";
import { createUser } from "../../server/auth/create-user";
import { listAlerts } from "../../server/domain/alerts/list-alerts";
import { listEvents } from "../../server/domain/events/list-events";
import { searchRetained } from "../../server/domain/logs/search-retained";
import { actorFor } from "../support/actors";
import { createTestServices } from "../support/test-services";

// Lists narrowed to the caller's hosts bind one value per host; Prisma refuses more than the database
// takes (999 on SQLite) in a sorted or counted query, so from 1,000 hosts on these lists failed for everyone.
const HOSTS = 2_000;
const T0 = Date.UTC(2026, 10, 1);
const hostId = (i: number) => `host-${String(i).padStart(4, "0")}`;
const range = (n: number, f: (i: number) => boolean = () => true) => Array.from({ length: n }, (_, i) => i).filter(f);

let services: Awaited<ReturnType<typeof createTestServices>>;
const access = {} as Record<"admin" | "mostly" | "even", Access>;

async function scopedTo(name: string, hosts: number[]): Promise<Access> {
  const { db } = services;
  const group = await db.hostGroup.create({ data: { name } });
  await db.hostGroupMember.createMany({ data: hosts.map((i) => ({ groupId: group.id, hostId: hostId(i) })) });
  const user = await createUser(services, { email: `${name}@x.test`, password: "correct-horse-battery" });
  await db.grant.create({ data: { userId: user.id, roleId: "role-viewer", hostGroupId: group.id } });
  return (await actorFor(services, user)).access;
}

beforeAll(async () => {
  services = await createTestServices();
  const { db } = services;
  // One alert, one engine event and one retained log line per host; host i's are the i-th newest from the end.
  await db.host.createMany({ data: range(HOSTS).map((i) => ({ id: hostId(i), name: hostId(i), publicKey: `key-${i}`.padEnd(44, "=") })) });
  await db.alert.createMany({
    data: range(HOSTS).map((i) => ({ ruleName: "r", kind: "host_offline", hostId: hostId(i), subject: hostId(i), subjectKey: `r|${hostId(i)}`, state: "firing", firedAt: new Date(T0 + i * 1000), message: "offline" })),
  });
  await db.dockerEvent.createMany({ data: range(HOSTS).map((i) => ({ hostId: hostId(i), time: new Date(T0 + i * 1000), type: "container", action: "start", actorId: "c".repeat(64) })) });
  const rule = await db.logRetentionRule.create({ data: { label: "keep", maxMb: 100, maxDays: 1 } });
  await db.retainedLogLine.createMany({
    data: range(HOSTS).map((i) => ({ hostId: hostId(i), containerId: "c".repeat(64), containerName: "web", ruleId: rule.id, ts: new Date(T0 + i * 1000).toISOString(), stream: "stdout", text: `hello from ${hostId(i)}`, bytes: 20 })),
  });
  const admin = await createUser(services, { email: "admin@x.test", password: "correct-horse-battery", grantOnAllHosts: "admin" });
  access.admin = (await actorFor(services, admin)).access;
  access.mostly = await scopedTo("mostly", range(1_500)); // 1,500 of 2,000: "not in the other 500"
  access.even = await scopedTo("even", range(HOSTS, (i) => i % 2 === 0)); // 1,000 and 1,000: chunks
}, 120_000);

afterAll(async () => {
  await services?.cleanup();
});

/** Each caller with the hosts it may read: every host, all but 500 ("not in"), every other one (chunks). */
const CALLERS = [
  ["admin", range(HOSTS)],
  ["mostly", range(1_500)],
  ["even", range(HOSTS, (i) => i % 2 === 0)],
] as const;

describe("lists over more hosts than one statement can bind", () => {
  it.each(CALLERS)("alerts for %s: newest first across pages, counted over every readable host", async (who, readable) => {
    const newest = [...readable].reverse().map(hostId);
    const first = await listAlerts(services.db, access[who], {}, { limit: 3 });
    expect(first.items.map((a) => a.hostId)).toEqual(newest.slice(0, 3));
    expect(first.counts).toEqual({ firing: readable.length, unacknowledged: readable.length });
    const second = await listAlerts(services.db, access[who], {}, { limit: 3, cursor: first.nextCursor! });
    expect(second.items.map((a) => a.hostId)).toEqual(newest.slice(3, 6));
  });

  it.each(CALLERS)("engine events for %s: newest first across pages", async (who, readable) => {
    const newest = [...readable].reverse().map(hostId);
    const first = await listEvents(services.db, access[who], {}, { limit: 4 });
    expect(first.items.map((e) => e.hostId)).toEqual(newest.slice(0, 4));
    const second = await listEvents(services.db, access[who], {}, { limit: 4, cursor: first.nextCursor! });
    expect(second.items.map((e) => e.hostId)).toEqual(newest.slice(4, 8));
  });

  it("a retained-log search covers every readable host, and only those", async () => {
    const all = await searchRetained(services.db, access.admin, { query: "hello", regex: false, caseSensitive: false, limit: 5_000 });
    expect(all.lines).toHaveLength(HOSTS);
    const even = await searchRetained(services.db, access.even, { query: "hello", regex: false, caseSensitive: false, limit: 5_000 });
    expect(new Set(even.lines.map((l) => l.hostId))).toEqual(new Set(range(HOSTS, (i) => i % 2 === 0).map(hostId)));
  });
});
