import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as authGet, POST as authPost } from "../../app/api/auth/[...all]/route";
import { GET as exportAudit } from "../../app/api/audit/export/route";
import { GET as trpcGet, POST as trpcPost } from "../../app/api/trpc/[trpc]/route";
import { createUser } from "../../server/auth/create-user";
import { setServices } from "../../server/services";
import { createTestServices } from "../support/test-services";

// The real route handlers (what Next calls), on real services and a real database; no Next in between.
type Env = Awaited<ReturnType<typeof createTestServices>>;
let services: Env;
let adminCookie: string;
let viewerCookie: string;
const BASE = "http://127.0.0.1:3999";
const PASSWORD = "correct-horse-battery";
void authGet;

function req(path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Request {
  return new Request(BASE + path, { method: init.method ?? "GET", headers: { host: "127.0.0.1:3999", ...init.headers }, body: init.body });
}
const trpcRoute = (r: Request) => (r.method === "GET" ? trpcGet(r) : trpcPost(r));

async function signIn(email: string, password: string, ip = "10.0.0.1"): Promise<Response> {
  return authPost(req("/api/auth/sign-in/email", { method: "POST", headers: { "content-type": "application/json", origin: BASE, "x-portolan-peer": ip }, body: JSON.stringify({ email, password }) }));
}
const cookieOf = (res: Response) => (res.headers.get("set-cookie") ?? "").split(";")[0]!;

beforeAll(async () => {
  services = await createTestServices();
  setServices(services);
  await createUser(services, { email: "admin@x.test", password: PASSWORD, grantOnAllHosts: "admin" });
  await createUser(services, { email: "viewer@x.test", password: PASSWORD, grantOnAllHosts: "viewer" });
  adminCookie = cookieOf(await signIn("admin@x.test", PASSWORD));
  viewerCookie = cookieOf(await signIn("viewer@x.test", PASSWORD));
});
afterAll(() => services.cleanup());

describe("[WEB] cross-site requests", () => {
  const createTeam = (headers: Record<string, string>, body = JSON.stringify({ name: "evil" }), method = "POST") =>
    trpcRoute(req("/api/trpc/teams.create", { method, headers: { cookie: adminCookie, ...headers }, body: method === "GET" ? undefined : body }));

  it("a same-origin JSON POST with the session cookie works (control)", async () => {
    const res = await createTeam({ "content-type": "application/json", origin: BASE }, JSON.stringify({ name: "ops" }));
    expect(res.status).toBe(200);
    expect(await services.db.team.count({ where: { name: "ops" } })).toBe(1);
  });

  it("refuses cross-site form posts (text/plain, urlencoded, multipart), a foreign Origin, no Origin, and a GET to a mutation", async () => {
    const statuses = [
      (await createTeam({ "content-type": "text/plain", origin: "http://evil.example" }, '{"name":"evil"}')).status,
      (await createTeam({ "content-type": "application/x-www-form-urlencoded", origin: "http://evil.example" }, "name=evil")).status,
      (await createTeam({ "content-type": "multipart/form-data; boundary=x", origin: "http://evil.example" }, "--x--")).status,
      (await createTeam({ "content-type": "application/json", origin: "http://evil.example" })).status,
      (await createTeam({ "content-type": "application/json" })).status,
    ];
    expect(statuses).toEqual([415, 415, 415, 403, 403]);
    const viaGet = await trpcRoute(req(`/api/trpc/teams.create?input=${encodeURIComponent(JSON.stringify({ name: "evil" }))}`, { headers: { cookie: adminCookie } }));
    expect(viaGet.status).toBe(405);
    expect(await services.db.team.count({ where: { name: "evil" } })).toBe(0);
  });

  it("session cookies are HttpOnly and SameSite=Lax; a token in the URL is not a credential", async () => {
    const res = await signIn("viewer@x.test", PASSWORD);
    const setCookie = res.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const tokenInUrl = await trpcRoute(req(`/api/trpc/hosts.list?token=pat_${"x".repeat(43)}`));
    expect(tokenInUrl.status).toBe(401);
  });
});

describe("[WEB] sign-in throttling", () => {
  it("blocks an (account, IP) pair after 5 failures, but the owner still signs in from another address", async () => {
    await createUser(services, { email: "target@x.test", password: PASSWORD });
    const attacker = "203.0.113.7";
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await signIn("target@x.test", "wrong-password-" + i, attacker)).status);
    expect(codes).toEqual([401, 401, 401, 401, 401, 429]);
    expect((await signIn("target@x.test", PASSWORD, attacker)).status).toBe(429); // even the right password, from there
    expect((await signIn("target@x.test", PASSWORD, "198.51.100.2")).status).toBe(200); // no lock-out for the owner
    const throttled = await services.db.auditEvent.count({ where: { action: "auth.login", actor: "target@x.test", result: "denied: throttled" } });
    expect(throttled).toBe(2);
  });

  it("a disabled user cannot sign in, and their existing session stops working", async () => {
    const user = await createUser(services, { email: "leaver@x.test", password: PASSWORD });
    const cookie = cookieOf(await signIn("leaver@x.test", PASSWORD, "10.1.1.1"));
    const me = () => trpcRoute(req("/api/trpc/session.me", { headers: { cookie } }));
    expect((await me()).status).toBe(200);
    const disable = await trpcRoute(req("/api/trpc/users.update", { method: "POST", headers: { cookie: adminCookie, origin: BASE, "content-type": "application/json" }, body: JSON.stringify({ userId: user.id, disabled: true }) }));
    expect(disable.status).toBe(200);
    expect((await me()).status).toBe(401);
    expect((await signIn("leaver@x.test", PASSWORD, "10.1.1.1")).status).toBe(403);
  });
});

describe("[WEB] audit export", () => {
  it("streams CSV and JSON Lines to audit readers only, with formulas and control characters neutralised", async () => {
    const { recordAudit } = await import("../../server/domain/audit/record-audit");
    await recordAudit(services.db, { actor: "=HYPERLINK(\"http://evil\")", action: "test.inject", target: "\u001b[31mred\u001b[0m", result: "ok" });
    const csv = await exportAudit(req("/api/audit/export?format=csv&action=test.inject", { headers: { cookie: adminCookie } }));
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/text\/csv/);
    const text = await csv.text();
    expect(text.split("\r\n")[0]).toBe("id,at,actor,sourceIp,hostId,action,target,params,result,hash");
    expect(text).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(text).not.toContain("\u001b");
    expect(text).toContain("\\u001b[31mred");
    const jsonl = await exportAudit(req("/api/audit/export?format=jsonl", { headers: { cookie: adminCookie } }));
    const lines = (await jsonl.text()).trim().split("\n").map((l) => JSON.parse(l) as { action: string });
    expect(lines.length).toBeGreaterThan(5);
    expect(lines.some((l) => l.action === "test.inject")).toBe(true);
    expect((await exportAudit(req("/api/audit/export?format=csv", { headers: { cookie: viewerCookie } }))).status).toBe(403);
    expect((await exportAudit(req("/api/audit/export?format=csv"))).status).toBe(401);
    expect((await exportAudit(req("/api/audit/export?format=xml", { headers: { cookie: adminCookie } }))).status).toBe(400);
  });
});
