import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { sessionOf } from "../../agents/host/terminal/end-process-session";
import { OneTimeIds, verifyTerminalOpen } from "../../agents/host/terminal/verify-terminal-open";
import { splitCommandLine } from "../../app/_components/terminal/command-line";
import { InputOrder } from "../../server/domain/terminal/input-order";
import { signTerminalOpen } from "../../server/domain/terminal/sign-terminal-open";

describe("[TERMINAL] input order", () => {
  it.each([
    { name: "in order", arrivals: [0, 1, 2], forwarded: ["a", "b", "c"] },
    { name: "second first", arrivals: [1, 0, 2], forwarded: ["a", "b", "c"] },
    { name: "reversed", arrivals: [2, 1, 0], forwarded: ["a", "b", "c"] },
    { name: "duplicates dropped", arrivals: [0, 0, 1, 1, 2], forwarded: ["a", "b", "c"] },
  ])("$name", ({ arrivals, forwarded }) => {
    const order = new InputOrder();
    const out: string[] = [];
    for (const seq of arrivals) out.push(...order.accept(seq, "abc"[seq]!)!);
    expect(out).toEqual(forwarded);
  });

  it("gives up when a gap holds back too much input", () => {
    const order = new InputOrder();
    let result: string[] | null = [];
    for (let seq = 1; seq <= 300 && result; seq++) result = order.accept(seq, "x");
    expect(result).toBeNull();
  });
});

describe("[TERMINAL] one-time open ids", () => {
  it("accepts an id once, and forgets it only after it could no longer pass the expiry check", () => {
    const ids = new OneTimeIds();
    expect(ids.claim("session-1", 1_000, 0)).toBe(true);
    expect(ids.claim("session-1", 1_000, 500)).toBe(false);
    expect(ids.claim("session-1", 1_000, 1_000 + 29_000)).toBe(false);
    expect(ids.claim("session-1", 100_000, 1_000 + 31_000)).toBe(true);
  });
});

describe("[TERMINAL] /proc stat parsing", () => {
  it.each([
    ["1234 (sh) S 1200 1234 1234 34816 1234 4194560", 1234],
    ["99 (odd) name (x)) R 1 50 77 0 -1", 77],
    ["7 (a b c) Z 1 7 7 0", 7],
  ])("%s → session %i", (stat, session) => {
    expect(sessionOf(stat)).toBe(session);
  });
});

describe("[TERMINAL] command line in the form", () => {
  it.each([
    ["sh", ["sh"]],
    ["  /bin/sh   -l ", ["/bin/sh", "-l"]],
    [`sh -c 'echo "$HOME" | wc -c'`, ["sh", "-c", `echo "$HOME" | wc -c`]],
    [`printf "%s\\n" "a b" ''`, ["printf", "%s\\n", "a b", ""]],
    [`echo a\\ b`, ["echo", "a b"]],
    [`echo "x \\"y\\""`, ["echo", `x "y"`]],
  ])("%s", (line, argv) => {
    expect(splitCommandLine(line)).toEqual(argv);
  });

  it("refuses an unclosed quote", () => {
    expect(splitCommandLine(`sh -c 'echo`)).toBeNull();
  });
});

describe("[TERMINAL] signed opens", () => {
  const { privateKey, publicKey } = crypto.generateKeyPairSync("ed25519");
  const key = { publicKey: publicKey.export({ type: "spki", format: "der" }).toString("base64"), sign: (p: string) => crypto.sign(null, Buffer.from(p), privateKey).toString("base64") };
  const open = { sessionId: "session-0001", hostId: "host-1", containerId: "abcdefabcdef", mode: "exec" as const, cmd: null, user: null, cols: 80, rows: 24, actorId: "u1" };
  const ctx = (now: number, startedAt = 0) => ({ serverPublicKey: key.publicKey, hostId: "host-1", now, startedAt });

  it.each([
    ["a fresh open", 1_000_000, 1_000_500, 0, "ok"],
    ["one issued before the agent started (a replay across a restart)", 1_000_000, 1_000_500, 1_000_001, "EXPIRED"],
    ["one long expired", 1_000_000, 1_000_000 + 30_000 + 30_001, 0, "EXPIRED"],
    ["one from the future", 1_000_000 + 31_000, 1_000_000, 0, "NOT_YET_VALID"],
  ])("%s", (_name, issuedAt, now, startedAt, want) => {
    const verdict = verifyTerminalOpen(signTerminalOpen(key, open, issuedAt), ctx(now, startedAt));
    expect(verdict.ok ? "ok" : verdict.error.code).toBe(want);
  });

  it("refuses a changed envelope and another key's signature", () => {
    const signed = signTerminalOpen(key, open, 1_000_000);
    expect(verifyTerminalOpen({ ...signed, envelope: { ...signed.envelope, user: "root" } }, ctx(1_000_100))).toMatchObject({ ok: false, error: { code: "BAD_SIGNATURE" } });
    const other = crypto.generateKeyPairSync("ed25519").publicKey.export({ type: "spki", format: "der" }).toString("base64");
    expect(verifyTerminalOpen(signed, { ...ctx(1_000_100), serverPublicKey: other })).toMatchObject({ ok: false, error: { code: "BAD_SIGNATURE" } });
  });
});
