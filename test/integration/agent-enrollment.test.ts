import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_MESSAGE_BYTES, PROTOCOL_VERSION, challengePayload } from "../../agents/protocol";
import { createEnrollmentToken } from "../../server/domain/enrollment/create-enrollment-token";
import { RawAgent, keyPair } from "../support/raw-agent";
import { createTestServices, startRealtimeServer, waitFor } from "../support/test-services";

type Env = Awaited<ReturnType<typeof createTestServices>>;
let services: Env;
let server: Awaited<ReturnType<typeof startRealtimeServer>>;
const agents: RawAgent[] = [];
const agent = (keys = keyPair()) => {
  const a = new RawAgent(server.url, keys);
  agents.push(a);
  return a;
};
const token = async (now?: Date) => (await createEnrollmentToken(services.db, { hostName: "edge-1", createdById: null, now })).token;

beforeAll(async () => {
  services = await createTestServices();
  server = await startRealtimeServer(services);
});
afterAll(async () => {
  agents.forEach((a) => a.close());
  await server.close();
  await services.cleanup();
});

/** The server still serves: a fresh agent enrolls and is seen online. */
async function assertServerServes() {
  const a = agent();
  const ack = await a.enroll(await token());
  expect(ack.ok).toBe(true);
  if (ack.ok) await waitFor(() => services.registry.get(ack.data.hostId)?.online, "host online");
}

describe("[AGENT][ENROLL]", () => {
  it("enrolls with a fresh token, binds the key to a new host, and stores only the token hash", async () => {
    const keys = keyPair();
    const t = await token();
    const ack = await agent(keys).enroll(t);
    expect(ack).toMatchObject({ ok: true, data: { hostName: "edge-1" } });
    if (!ack.ok) return;
    const host = await services.db.host.findUniqueOrThrow({ where: { id: ack.data.hostId } });
    expect(host.publicKey).toBe(keys.publicKey.export({ type: "spki", format: "der" }).toString("base64"));
    const rows = await services.db.enrollmentToken.findMany();
    expect(rows.some((r) => r.tokenHash === t || r.tokenHash.includes(t.slice(4, 20)))).toBe(false);
    expect(rows.find((r) => r.hostId === host.id)?.usedAt).toBeInstanceOf(Date);
    await waitFor(() => services.registry.get(host.id)?.online, "host online");
    const audit = await services.db.auditEvent.findMany({ where: { action: "agent.enroll", hostId: host.id } });
    expect(audit).toHaveLength(1);

    // Later connections: the key alone, proven by signing a fresh nonce.
    const again = await agent(keys).login();
    expect(again).toMatchObject({ ok: true, data: { hostId: host.id } });
  });

  it("refuses a reused token", async () => {
    const t = await token();
    expect((await agent().enroll(t)).ok).toBe(true);
    expect(await agent().enroll(t)).toMatchObject({ ok: false, error: { code: "ENROLL_TOKEN_USED" } });
    await assertServerServes();
  });

  it("lets exactly one of two racing agents consume a token", async () => {
    const t = await token();
    const results = await Promise.all([agent().enroll(t), agent().enroll(t)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ error: { code: "ENROLL_TOKEN_USED" } });
  });

  it("refuses an expired token", async () => {
    const t = await token(new Date(Date.now() - 31 * 60 * 1000));
    expect(await agent().enroll(t)).toMatchObject({ ok: false, error: { code: "ENROLL_TOKEN_EXPIRED" } });
  });

  it("refuses an unknown and a garbage token", async () => {
    expect(await agent().enroll("pet_" + "A".repeat(43))).toMatchObject({ ok: false, error: { code: "ENROLL_TOKEN_INVALID" } });
    const garbage = await agent().enroll("hello; rm -rf /");
    expect(garbage).toMatchObject({ ok: false, error: { code: "ENROLL_TOKEN_INVALID" } });
    if (!garbage.ok) expect(garbage.error.message).toMatch(/malformed enrollment token/);
    await assertServerServes();
  });

  it("refuses a forged signature and an unknown key, and records the refusals", async () => {
    const victim = keyPair();
    expect((await agent(victim).enroll(await token())).ok).toBe(true);
    // Attacker presents the victim's public key but signs with its own private key.
    const attacker = agent();
    const nonce = await attacker.nonce();
    const forged = await attacker.send("auth:response", {
      mode: "key",
      protocolVersion: PROTOCOL_VERSION,
      publicKey: victim.publicKey.export({ type: "spki", format: "der" }).toString("base64"),
      signature: attacker.sign(challengePayload(nonce)),
    });
    expect(forged).toMatchObject({ ok: false, error: { code: "BAD_SIGNATURE" } });
    expect(await agent().login()).toMatchObject({ ok: false, error: { code: "UNKNOWN_KEY" } });
    const refusals = await services.db.auditEvent.findMany({ where: { action: "agent.auth" } });
    expect(refusals.map((r) => r.result)).toEqual(expect.arrayContaining(["rejected: BAD_SIGNATURE", "rejected: UNKNOWN_KEY"]));
  });

  it("refuses a revoked host's key", async () => {
    const keys = keyPair();
    const ack = await agent(keys).enroll(await token());
    if (!ack.ok) throw new Error("enroll failed");
    await services.db.host.update({ where: { id: ack.data.hostId }, data: { revokedAt: new Date() } });
    expect(await agent(keys).login()).toMatchObject({ ok: false, error: { code: "HOST_REVOKED" } });
  });
});

describe("[AGENT][PROTOCOL] bad messages", () => {
  it("refuses events before authentication", async () => {
    const a = agent();
    await a.nonce();
    expect(await a.send("host:snapshot", { generation: 1 })).toMatchObject({ ok: false, error: { code: "UNAUTHORIZED" } });
  });

  it("rejects a malformed snapshot with a clear error and keeps the connection and server serving", async () => {
    const a = agent();
    const ack = await a.enroll(await token());
    expect(ack.ok).toBe(true);
    const bad = await a.send("host:snapshot", { generation: "soon", containers: "lots" });
    expect(bad).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
    if (!bad.ok) expect(bad.error.message).toMatch(/malformed host:snapshot/);
    expect(a.socket.connected).toBe(true);
    const badId = await a.send("container:change", { kind: "remove", generation: 1, action: "destroy", time: 1, id: "../../etc/passwd" });
    expect(badId).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
    await assertServerServes();
  });

  it("disconnects an agent that sends an oversized message; other agents are unaffected", async () => {
    const bystander = agent();
    const byAck = await bystander.enroll(await token());
    if (!byAck.ok) throw new Error("enroll failed");
    const a = agent();
    expect((await a.enroll(await token())).ok).toBe(true);
    const disconnected = new Promise<string>((resolve) => a.socket.once("disconnect", resolve));
    a.socket.emit("host:snapshot", { generation: 1, junk: "x".repeat(MAX_MESSAGE_BYTES + 1024) });
    expect(await disconnected).toBeTruthy();
    expect(bystander.socket.connected).toBe(true);
    expect(services.registry.get(byAck.data.hostId)?.online).toBe(true);
    await assertServerServes();
  });
});
