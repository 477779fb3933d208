import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../../server/auth/create-user";
import type { FleetChange } from "../../server/realtime/browser-events";
import { createTestServices, startRealtimeServer, waitFor } from "../support/test-services";

type Env = Awaited<ReturnType<typeof createTestServices>>;
let services: Env;
let server: Awaited<ReturnType<typeof startRealtimeServer>>;
let cookie: string;
const sockets: Socket[] = [];

function browser(headers: Record<string, string>): Socket {
  const s = io(server.url + "/live", { transports: ["websocket"], reconnection: false, forceNew: true, extraHeaders: headers });
  sockets.push(s);
  return s;
}
const outcome = (s: Socket) =>
  new Promise<string>((resolve) => {
    s.once("connect", () => resolve("connected"));
    s.once("connect_error", (err) => resolve(err.message));
  });

beforeAll(async () => {
  services = await createTestServices();
  server = await startRealtimeServer(services);
  await createUser(services, { email: "ops@example.com", password: "correct-horse-battery", role: "viewer" });
  const res = await services.auth.api.signInEmail({ body: { email: "ops@example.com", password: "correct-horse-battery" }, asResponse: true });
  cookie = (res.headers.get("set-cookie") ?? "").split(";")[0]!;
});
afterAll(async () => {
  sockets.forEach((s) => s.disconnect());
  await server.close();
  await services.cleanup();
});

describe("[LIVE] browser gateway", () => {
  it("pushes coalesced fleet changes to every signed-in browser", async () => {
    const origin = server.url;
    const a = browser({ cookie, origin });
    const b = browser({ cookie, origin });
    expect(await outcome(a)).toBe("connected");
    expect(await outcome(b)).toBe("connected");
    const got: FleetChange[][] = [];
    a.on("fleet:changed", (c: FleetChange[]) => got.push(c));
    const gotB: FleetChange[][] = [];
    b.on("fleet:changed", (c: FleetChange[]) => gotB.push(c));
    services.registry.connected("h1");
    services.registry.disconnected("h1");
    services.registry.connected("h2");
    await waitFor(() => got.length > 0 && gotB.length > 0, "fleet:changed on both browsers");
    expect(got[0]).toEqual(expect.arrayContaining([{ hostId: "h1", kinds: ["presence"] }, { hostId: "h2", kinds: ["presence"] }]));
    expect(got).toHaveLength(1); // three registry changes, one nudge
  });

  it("refuses a handshake without a session", async () => {
    expect(await outcome(browser({ origin: server.url }))).toBe("unauthorized");
    expect(await outcome(browser({ origin: server.url, cookie: "better-auth.session_token=forged.value" }))).toBe("unauthorized");
  });

  it("refuses a cross-origin handshake even with a valid cookie", async () => {
    expect(await outcome(browser({ cookie, origin: "http://evil.example" }))).toBe("cross-origin connection refused");
    expect(await outcome(browser({ cookie }))).toBe("cross-origin connection refused");
  });
});
