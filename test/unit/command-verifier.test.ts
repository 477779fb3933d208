import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { RecentCommands } from "../../agents/host/commands/recent-commands";
import { runSignedCommand } from "../../agents/host/commands/run-command";
import { verifyCommand } from "../../agents/host/commands/verify-command";
import type { Logger } from "../../agents/host/log";
import type { ContainerRuntime } from "../../agents/host/runtime/container-runtime";
import { RuntimeError } from "../../agents/host/runtime/runtime-error";
import { commandPayload, type CommandEnvelope, type ContainerCommand, type SignedCommand } from "../../agents/protocol";
import { signCommand } from "../../server/domain/commands/sign-command";
import { loadOrCreateServerKey } from "../../server/keys";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portolan-verifier-"));
const serverKey = loadOrCreateServerKey(dir);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const NOW = 1_800_000_000_000;
const HOST = "host-1";
const ctx = { serverPublicKey: serverKey.publicKey, hostId: HOST, now: NOW };
const stop: ContainerCommand = { action: "stop", params: { containerId: "web", timeout: 1 } };

function sign(overrides: Partial<CommandEnvelope> = {}, command: ContainerCommand = stop): SignedCommand {
  const base = signCommand(serverKey, { hostId: HOST, command, actorId: "u1", now: NOW, lifetimeMs: 60_000 }).envelope;
  const envelope = { ...base, ...overrides };
  return { envelope, signature: serverKey.sign(commandPayload(envelope)) };
}

const otherKey = crypto.generateKeyPairSync("ed25519").privateKey;
const signedByOther = (s: SignedCommand): SignedCommand => ({
  ...s,
  signature: crypto.sign(null, Buffer.from(commandPayload(s.envelope)), otherKey).toString("base64"),
});

describe("verifyCommand", () => {
  it("accepts a command signed by the pinned key, for this host, within its lifetime", () => {
    const result = verifyCommand(sign(), ctx);
    expect(result).toMatchObject({ ok: true, value: { command: stop } });
  });

  it.each<[string, () => unknown, string]>([
    ["unsigned", () => ({ envelope: sign().envelope }), "BAD_COMMAND"],
    ["empty signature", () => ({ envelope: sign().envelope, signature: "" }), "BAD_COMMAND"],
    ["not an object", () => "stop web", "BAD_COMMAND"],
    ["signed by another key", () => signedByOther(sign()), "BAD_SIGNATURE"],
    ["tampered after signing", () => { const s = sign(); return { ...s, envelope: { ...s.envelope, params: { containerId: "db" } } }; }, "BAD_SIGNATURE"],
    ["an extra envelope field", () => { const s = sign(); return { ...s, envelope: { ...s.envelope, sudo: true } }; }, "BAD_COMMAND"],
    ["for another host", () => sign({ hostId: "host-2" }), "WRONG_HOST"],
    ["expired", () => sign({ issuedAt: NOW - 120_000, expiresAt: NOW - 31_000 }), "EXPIRED"],
    ["issued beyond the clock skew", () => sign({ issuedAt: NOW + 31_000, expiresAt: NOW + 91_000 }), "NOT_YET_VALID"],
    ["claiming a lifetime over five minutes", () => sign({ expiresAt: NOW + 301_000 }), "BAD_COMMAND"],
    ["expiring before it was issued", () => sign({ expiresAt: NOW - 1 }), "BAD_COMMAND"],
    ["an action outside the allow-list", () => sign({ action: "exec" as never, params: { containerId: "web", cmd: "sh" } }), "BAD_COMMAND"],
    ["signed params outside the schema", () => sign({ params: { containerId: "../x" } }), "BAD_COMMAND"],
  ])("refuses a command %s", (_, make, code) => {
    const result = verifyCommand(make(), ctx);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe(code);
  });

  it("tolerates 30 s of clock skew either way", () => {
    expect(verifyCommand(sign({ issuedAt: NOW + 29_000, expiresAt: NOW + 89_000 }), ctx).ok).toBe(true);
    expect(verifyCommand(sign({ issuedAt: NOW - 80_000, expiresAt: NOW - 20_000 }), ctx).ok).toBe(true);
  });
});

describe("runSignedCommand: at most once, remembered across restarts", () => {
  let stateDir: string;
  let calls: ContainerCommand[];
  const runtime = {
    runLifecycle: async (command: ContainerCommand) => {
      calls.push(command);
      if (command.params.containerId === "stopped") throw new RuntimeError("NOT_MODIFIED", "container already stopped");
    },
  } as ContainerRuntime;
  const quiet = () => undefined;
  const log: Logger = { debug: quiet, info: quiet, warn: quiet, error: quiet };
  const deps = async (recent?: RecentCommands) => ({
    runtime,
    recent: recent ?? (await RecentCommands.load(stateDir)),
    log,
    serverPublicKey: serverKey.publicKey,
    hostId: HOST,
    now: () => NOW,
  });

  beforeEach(() => {
    stateDir = fs.mkdtempSync(path.join(dir, "state-"));
    calls = [];
  });

  it("runs a command once and refuses its replay, also after a restart", async () => {
    const first = await deps();
    const command = sign();
    expect(await runSignedCommand(command, first)).toEqual({ ok: true, data: null });
    expect(await runSignedCommand(command, first)).toMatchObject({ ok: false, error: { code: "REPLAYED" } });
    const restarted = await deps(); // loads the record from disk
    expect(await runSignedCommand(command, restarted)).toMatchObject({ ok: false, error: { code: "REPLAYED" } });
    expect(calls).toHaveLength(1);
    expect(restarted.recent.report().outcomes).toEqual([{ commandId: command.envelope.commandId, reply: { ok: true, data: null } }]);
    expect(fs.statSync(path.join(stateDir, "recent-commands.json")).mode & 0o777).toBe(0o600);
  });

  it("refuses a twin arriving while the first is still running", async () => {
    const d = await deps();
    const command = sign();
    const [a, b] = await Promise.all([runSignedCommand(command, d), runSignedCommand(command, d)]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    expect(calls).toHaveLength(1);
  });

  it("never runs a refused command", async () => {
    const d = await deps();
    await runSignedCommand(signedByOther(sign()), d);
    await runSignedCommand(sign({ hostId: "host-2" }), d);
    await runSignedCommand(sign({ issuedAt: NOW - 120_000, expiresAt: NOW - 31_000 }), d);
    expect(calls).toHaveLength(0);
    expect(d.recent.report().outcomes).toEqual([]); // forged ids cannot fill the record either
  });

  it("replies with the runtime's code and Docker's words", async () => {
    const reply = await runSignedCommand(sign({}, { action: "stop", params: { containerId: "stopped" } }), await deps());
    expect(reply).toEqual({ ok: false, error: { code: "NOT_MODIFIED", message: "container already stopped" } });
  });

  it("keeps the last N ids and refuses anything as old as the ones it forgot", async () => {
    const recent = await RecentCommands.load(stateDir, 3);
    const d = await deps(recent);
    const sent = [1, 2, 3, 4].map((i) => sign({ issuedAt: NOW - 10_000 + i, expiresAt: NOW + 50_000 }));
    for (const s of sent) expect((await runSignedCommand(s, d)).ok).toBe(true);
    expect(recent.report().outcomes.map((o) => o.commandId)).toEqual(sent.slice(1).map((s) => s.envelope.commandId));
    expect(recent.report().forgottenBefore).toBe(NOW - 10_000 + 1);
    expect(await runSignedCommand(sent[0]!, d)).toMatchObject({ ok: false, error: { code: "TOO_OLD" } });
    expect(calls).toHaveLength(4);
  });

  it("does not run a command it cannot record", async () => {
    const d = await deps();
    fs.rmSync(stateDir, { recursive: true });
    expect(await runSignedCommand(sign(), d)).toMatchObject({ ok: false, error: { code: "STATE_UNAVAILABLE" } });
    expect(calls).toHaveLength(0);
  });

  it("refuses to start on a corrupt record rather than forget what ran", async () => {
    fs.writeFileSync(path.join(stateDir, "recent-commands.json"), "{not json");
    await expect(RecentCommands.load(stateDir)).rejects.toThrow(/unreadable command record/);
  });
});
