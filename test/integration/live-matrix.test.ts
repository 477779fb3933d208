import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../../server/auth/create-user";
import { BROWSER_EVENT_POLICY } from "../../server/realtime/browser-events";
import { createTestServices, startRealtimeServer } from "../support/test-services";

// Every browser socket event × caller × host, like the tRPC matrix: allowed, or refused as the model says.
type Env = Awaited<ReturnType<typeof createTestServices>>;
type Role = "viewerA" | "operatorA" | "customA" | "admin" | "nobody";
type Host = "A" | "B";
const ROLES: Role[] = ["nobody", "viewerA", "operatorA", "customA", "admin"];
const PASSWORD = "correct-horse-battery";

let services: Env;
let server: Awaited<ReturnType<typeof startRealtimeServer>>;
const sockets = {} as Record<Role, Socket>;
const ids = {} as Record<Host, string>;

const READERS_OF_A: Role[] = ["viewerA", "operatorA", "customA", "admin"];
const EVERYONE: Role[] = [...ROLES];
const LOG_READERS_OF_A: Role[] = ["viewerA", "operatorA", "admin"];
/**
 * Who may send each event, per host named in its payload (fleet-wide events: the "A" column).
 * `beyondAuth`: error codes that prove the call passed authorisation and failed later (the test
 * hosts have no agent and no containers), so they count as allowed.
 */
const MATRIX: Record<string, { payload: (h: Host) => unknown; allowed: Record<Host, Role[]>; beyondAuth?: string[] }> = {
  "fleet:subscribe": { payload: () => ({}), allowed: { A: READERS_OF_A, B: READERS_OF_A } },
  "fleet:unsubscribe": { payload: () => ({}), allowed: { A: EVERYONE, B: EVERYONE } },
  "host:subscribe": { payload: (h) => ({ hostId: ids[h] }), allowed: { A: READERS_OF_A, B: ["admin"] } },
  "host:unsubscribe": { payload: (h) => ({ hostId: ids[h] }), allowed: { A: EVERYONE, B: EVERYONE } },
  // Column A: fleet-wide (host:read somewhere); column B: narrowed to host B.
  "events:subscribe": { payload: (h) => (h === "A" ? {} : { hostId: ids.B }), allowed: { A: READERS_OF_A, B: ["admin"] } },
  "events:unsubscribe": { payload: (h) => (h === "A" ? {} : { hostId: ids.B }), allowed: { A: EVERYONE, B: EVERYONE } },
  "logs:subscribe": { payload: (h) => ({ hostId: ids[h], containerId: "abcdefabcdef" }), allowed: { A: LOG_READERS_OF_A, B: ["admin"] }, beyondAuth: ["NOT_FOUND"] },
  "logs:unsubscribe": { payload: () => ({ streamId: "not-a-stream-of-yours" }), allowed: { A: EVERYONE, B: EVERYONE }, beyondAuth: ["NOT_FOUND"] },
  "metrics:subscribe": { payload: (h) => ({ hostId: ids[h] }), allowed: { A: READERS_OF_A, B: ["admin"] } },
  "metrics:unsubscribe": { payload: (h) => ({ hostId: ids[h] }), allowed: { A: READERS_OF_A, B: ["admin"] } },
  // Terminals: container:exec (operator, admin) to open; a session id only means something to the socket that opened it.
  "terminal:open": { payload: (h) => ({ hostId: ids[h], containerId: "abcdefabcdef", mode: "exec", cols: 80, rows: 24 }), allowed: { A: ["operatorA", "admin"], B: ["admin"] }, beyondAuth: ["HOST_OFFLINE"] },
  "terminal:input": { payload: () => ({ sessionId: "not-a-session-of-yours", seq: 0, data: "id\r" }), allowed: { A: EVERYONE, B: EVERYONE }, beyondAuth: ["NOT_FOUND"] },
  "terminal:resize": { payload: () => ({ sessionId: "not-a-session-of-yours", cols: 80, rows: 24 }), allowed: { A: EVERYONE, B: EVERYONE }, beyondAuth: ["NOT_FOUND"] },
  "terminal:close": { payload: () => ({ sessionId: "not-a-session-of-yours" }), allowed: { A: EVERYONE, B: EVERYONE }, beyondAuth: ["NOT_FOUND"] },
};

async function connect(email: string): Promise<Socket> {
  const res = await services.auth.api.signInEmail({ body: { email, password: PASSWORD }, asResponse: true });
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0]!;
  const s = io(server.url + "/live", { transports: ["websocket"], reconnection: false, forceNew: true, extraHeaders: { cookie, origin: server.url } });
  await new Promise<void>((resolve, reject) => {
    s.once("connect", () => resolve());
    s.once("connect_error", reject);
  });
  return s;
}

beforeAll(async () => {
  services = await createTestServices();
  server = await startRealtimeServer(services);
  const { db } = services;
  ids.A = (await db.host.create({ data: { name: "a", publicKey: "A".repeat(44) } })).id;
  ids.B = (await db.host.create({ data: { name: "b", publicKey: "B".repeat(44) } })).id;
  const groupA = (await db.hostGroup.create({ data: { name: "group-a", hosts: { create: [{ hostId: ids.A }] } } })).id;
  const custom = (await db.role.create({ data: { name: "restarter", permissions: JSON.stringify(["host:read", "container:restart"]) } })).id;
  await createUser(services, { email: "admin@x.test", password: PASSWORD, grantOnAllHosts: "admin" });
  const users = {
    viewerA: await createUser(services, { email: "viewer@x.test", password: PASSWORD }),
    operatorA: await createUser(services, { email: "operator@x.test", password: PASSWORD }),
    customA: await createUser(services, { email: "custom@x.test", password: PASSWORD }),
  };
  await createUser(services, { email: "nobody@x.test", password: PASSWORD });
  await db.grant.createMany({
    data: [
      { userId: users.viewerA.id, roleId: "role-viewer", hostGroupId: groupA },
      { userId: users.operatorA.id, roleId: "role-operator", hostGroupId: groupA },
      { userId: users.customA.id, roleId: custom, hostGroupId: groupA },
    ],
  });
  for (const role of ROLES) sockets[role] = await connect(role === "admin" ? "admin@x.test" : `${role.replace(/A$/, "")}@x.test`);
});
afterAll(async () => {
  Object.values(sockets).forEach((s) => s.disconnect());
  await server.close();
  await services.cleanup();
});

describe("[ACCESS][LIVE] matrix: every browser event × caller × host", () => {
  it("covers every event of the policy table", () => {
    expect(Object.keys(MATRIX).sort()).toEqual(Object.keys(BROWSER_EVENT_POLICY).sort());
  });

  it("allows exactly what the model says and refuses the rest with FORBIDDEN", async () => {
    const failures: string[] = [];
    for (const [event, cell] of Object.entries(MATRIX)) {
      for (const host of ["A", "B"] as Host[]) {
        for (const role of ROLES) {
          const reply = (await sockets[role].timeout(5000).emitWithAck(event, cell.payload(host))) as { ok: boolean; error?: { code: string } };
          const want = cell.allowed[host].includes(role) ? "OK" : "FORBIDDEN";
          const passed = reply.ok || (cell.beyondAuth ?? []).includes(reply.error?.code ?? "");
          const got = passed ? "OK" : reply.error?.code;
          if (got !== want) failures.push(`${event} as ${role} on ${host}: got ${got}, want ${want}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
