import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { verifyEd25519 as verifySignature } from "../../agents/protocol/signature";
import { canonicalJson, commandPayload, type CommandEnvelope } from "../../agents/protocol";
import { signCommand } from "../../server/domain/commands/sign-command";
import { loadOrCreateServerKey, verifyEd25519 } from "../../server/keys";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portolan-envelope-"));
const serverKey = loadOrCreateServerKey(dir);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("canonicalJson", () => {
  it("is independent of key order, at every depth", () => {
    const a = { b: 1, a: { y: [1, { q: true, p: null }], x: "s" } };
    const b = { a: { x: "s", y: [1, { p: null, q: true }] }, b: 1 };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"a":{"x":"s","y":[1,{"p":null,"q":true}]},"b":1}');
  });

  it("drops undefined members as JSON on the wire does, so both sides hash the same bytes", () => {
    const local = { containerId: "web", timeout: undefined };
    const overTheWire = JSON.parse(JSON.stringify(local)) as unknown;
    expect(canonicalJson(local)).toBe(canonicalJson(overTheWire));
    expect(canonicalJson(local)).toBe('{"containerId":"web"}');
  });

  it("keeps array order and escapes strings", () => {
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
    expect(canonicalJson({ 'k"': 'v\n"' })).toBe('{"k\\"":"v\\n\\""}');
  });

  it.each([NaN, Infinity, () => 1, Symbol("s"), BigInt(1)])("refuses %s", (value) => {
    expect(() => canonicalJson(value)).toThrow(TypeError);
  });
});

describe("signed envelope: server signs, agent verifies", () => {
  const signed = signCommand(serverKey, {
    hostId: "host-1",
    command: { action: "stop", params: { containerId: "web", timeout: 5 } },
    actorId: "user-1",
    now: 1_700_000_000_000,
    lifetimeMs: 60_000,
  });

  it("produces a fresh id and the expected envelope", () => {
    expect(signed.envelope).toMatchObject({ hostId: "host-1", action: "stop", params: { containerId: "web", timeout: 5 }, actorId: "user-1", issuedAt: 1_700_000_000_000, expiresAt: 1_700_000_060_000 });
    const other = signCommand(serverKey, { hostId: "host-1", command: { action: "start", params: { containerId: "web" } }, actorId: null, now: 1, lifetimeMs: 1 });
    expect(other.envelope.commandId).not.toBe(signed.envelope.commandId);
  });

  it("verifies with the agent's own verifier, and with the server's", () => {
    expect(verifySignature(serverKey.publicKey, commandPayload(signed.envelope), signed.signature)).toBe(true);
    expect(verifyEd25519(serverKey.publicKey, commandPayload(signed.envelope), signed.signature)).toBe(true);
  });

  it("verifies after a JSON round trip with reordered keys", () => {
    const wire = JSON.parse(JSON.stringify(signed.envelope)) as CommandEnvelope;
    const reordered = Object.fromEntries(Object.entries(wire).reverse()) as CommandEnvelope;
    expect(verifySignature(serverKey.publicKey, commandPayload(reordered), signed.signature)).toBe(true);
  });

  it.each<[string, (e: CommandEnvelope) => CommandEnvelope]>([
    ["another container", (e) => ({ ...e, params: { ...e.params, containerId: "db" } })],
    ["another action", (e) => ({ ...e, action: "remove" })],
    ["another host", (e) => ({ ...e, hostId: "host-2" })],
    ["a later expiry", (e) => ({ ...e, expiresAt: e.expiresAt + 1 })],
    ["an extra param", (e) => ({ ...e, params: { ...e.params, force: true } })],
  ])("fails for %s", (_, tamper) => {
    expect(verifySignature(serverKey.publicKey, commandPayload(tamper(signed.envelope)), signed.signature)).toBe(false);
  });

  it("fails for another key, and for garbage keys and signatures", () => {
    const other = crypto.generateKeyPairSync("ed25519").publicKey.export({ type: "spki", format: "der" }).toString("base64");
    const payload = commandPayload(signed.envelope);
    expect(verifySignature(other, payload, signed.signature)).toBe(false);
    expect(verifySignature("not-a-key", payload, signed.signature)).toBe(false);
    expect(verifySignature(serverKey.publicKey, payload, "AAAA")).toBe(false);
    const rsa = crypto.generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ type: "spki", format: "der" }).toString("base64");
    expect(verifySignature(rsa, payload, signed.signature)).toBe(false);
  });
});
