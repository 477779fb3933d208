import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LogsFeature } from "../../agents/host/logs/logs-feature";
import { isLogMarker, type LogBatch, type LogItem, type LogLine, type LogMarker } from "../../agents/protocol/logs";
import { startControlEnv, type ControlEnv } from "../support/control-env";
import { docker } from "../support/docker-cli";
import { waitFor } from "../support/test-services";

const IMAGE = "local/busybox:latest";
let env: ControlEnv;
const sockets: Socket[] = [];

beforeAll(async () => {
  env = await startControlEnv("logs");
}, 60_000);
afterAll(async () => {
  sockets.forEach((s) => s.disconnect());
  await env?.stop();
});

async function browser(email: string): Promise<Socket> {
  const res = await env.services.auth.api.signInEmail({ body: { email, password: "correct-horse-battery" }, asResponse: true });
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0]!;
  const s = io(env.server.url + "/live", { transports: ["websocket"], reconnection: false, forceNew: true, extraHeaders: { cookie, origin: env.server.url } });
  sockets.push(s);
  await new Promise<void>((resolve, reject) => {
    s.once("connect", () => resolve());
    s.once("connect_error", reject);
  });
  return s;
}

/** Runs a labelled container and waits until the server knows it. */
async function run(suffix: string, args: string[], script: string): Promise<string> {
  const id = (await docker(["run", "-d", "--name", env.name(suffix), "--label", "portolan.test=1", "--label", `portolan.run=${env.run}`, ...args, IMAGE, "sh", "-c", script])).trim();
  await waitFor(() => env.services.registry.get(env.hostId)?.containers.get(id), `container ${suffix} known to the server`);
  return id;
}

/** Every batch each socket received, acked once stored (as the browser does). */
const received = new WeakMap<Socket, LogBatch[]>();

/**
 * Subscribes and records the stream's items. Batches are matched to the stream id when read: a batch
 * can be handled before the ack's continuation runs (ws emits several frames of one read at once).
 */
async function subscribe(socket: Socket, containerId: string, options: Record<string, unknown> = {}) {
  if (!received.has(socket)) {
    const batches: LogBatch[] = [];
    received.set(socket, batches);
    socket.on("logs:batch", (batch: LogBatch, ack: () => void) => {
      batches.push(batch);
      ack();
    });
  }
  const reply = (await socket.timeout(10_000).emitWithAck("logs:subscribe", { hostId: env.hostId, containerId, options })) as { ok: boolean; data?: { streamId: string }; error?: { code: string } };
  expect(reply).toMatchObject({ ok: true });
  const streamId = reply.data!.streamId;
  const mine = () => received.get(socket)!.filter((b) => b.streamId === streamId);
  return {
    streamId,
    get items(): LogItem[] {
      return mine().flatMap((b) => b.items);
    },
    get ends(): string[] {
      return mine().flatMap((b) => (b.end ? [b.end.reason] : []));
    },
    lines(): LogLine[] {
      return this.items.filter((i): i is LogLine => !isLogMarker(i));
    },
  };
}

const feature = () => env.agent.features.find((f) => f.name === "logs") as LogsFeature;

describe("[LOGS] live container logs end to end", () => {
  it("delivers every numbered line exactly once across an agent restart, stderr flagged", async () => {
    const id = await run("counter", [], 'i=0; while [ $i -lt 250 ]; do i=$((i+1)); echo "out $i"; echo "err $i" >&2; sleep 0.02; done; sleep 3600');
    const socket = await browser(`viewer@logs.test`);
    const sub = await subscribe(socket, id, { tail: 100_000, follow: true });
    await waitFor(() => sub.lines().some((l) => l.text === "out 60"), "first lines", 20_000);
    await env.restartAgent({ downMs: 1_500 }); // lines keep coming while the agent is away
    // The last line of each stream: stdout and stderr reach the viewer as separate frames, in either order.
    await waitFor(() => ["out 250", "err 250"].every((t) => sub.lines().some((l) => l.text === t)), "the last lines after the restart", 30_000);

    const seen = new Map<string, number>();
    for (const l of sub.lines()) seen.set(l.text, (seen.get(l.text) ?? 0) + 1);
    const missing: string[] = [];
    const twice: string[] = [];
    for (let i = 1; i <= 250; i++) {
      for (const k of [`out ${i}`, `err ${i}`]) {
        if (!seen.has(k)) missing.push(k);
        else if (seen.get(k)! > 1) twice.push(k);
      }
    }
    expect({ missing, twice }).toEqual({ missing: [], twice: [] });
    expect(sub.items.filter(isLogMarker)).toEqual([]); // the engine still had every line: no gap
    for (const l of sub.lines()) expect(l.stream).toBe(l.text.startsWith("err") ? "stderr" : "stdout");
    const ts = sub.lines().filter((l) => l.stream === "stdout").map((l) => l.ts);
    expect([...ts].sort()).toEqual(ts); // per stream, in engine order
  }, 90_000);

  it("shows a gap marker where the engine lost lines while the agent was away (rotated log)", async () => {
    const id = await run("rotating", ["--log-opt", "max-size=2k", "--log-opt", "max-file=1"], 'i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 0.01; done');
    const socket = await browser(`viewer@logs.test`);
    const sub = await subscribe(socket, id, { tail: 10, follow: true });
    await waitFor(() => sub.lines().length >= 10, "first lines", 20_000);
    await env.restartAgent({ downMs: 2_000 }); // ~200 lines of ~30 bytes: the 2 KB file rotates away
    const before = sub.lines().length;
    await waitFor(() => sub.items.some(isLogMarker) && sub.lines().length > before + 5, "a gap marker and lines after it", 30_000);
    const gap = sub.items.find(isLogMarker) as LogMarker;
    expect(gap.marker).toBe("gap");
    const numbers = sub.lines().map((l) => Number(l.text.split(" ")[1]));
    const gapAt = sub.items.indexOf(gap);
    const linesBefore = sub.items.slice(0, gapAt).filter((i) => !isLogMarker(i)).length;
    expect(numbers[linesBefore]! - numbers[linesBefore - 1]!).toBeGreaterThan(1); // lines really are missing there
    expect(new Set(numbers).size).toBe(numbers.length); // and none twice
    expect([...numbers].sort((a, b) => a - b)).toEqual(numbers);
  }, 90_000);

  it("resumes strictly after a browser's cursor (with or without per-stream times), with no gap when the engine has the lines", async () => {
    const id = await run("resume", [], 'for i in 1 2 3 4 5 6 7 8; do echo "o$i"; echo "e$i" >&2; done; sleep 3600');
    await waitFor(async () => (await env.as("viewer").logs.read({ hostId: env.hostId, containerId: id })).lines.length === 16, "sixteen lines", 10_000);
    const all = (await env.as("viewer").logs.read({ hostId: env.hostId, containerId: id })).lines;
    const o4 = all.find((l) => l.text === "o4")!;
    const e4 = all.find((l) => l.text === "e4")!;
    const socket = await browser(`viewer@logs.test`);
    const single = await subscribe(socket, id, { follow: false, after: { ts: o4.ts, stream: "stdout" } });
    await waitFor(() => single.ends.length > 0, "the range to end", 10_000);
    expect(single.items.filter(isLogMarker)).toEqual([]);
    expect(single.lines().map((l) => l.text).sort()).toEqual(all.filter((l) => l.ts > o4.ts).map((l) => l.text).sort());
    const exact = await subscribe(socket, id, { follow: false, after: { ts: e4.ts, stream: "stderr", streams: { stdout: o4.ts, stderr: e4.ts } } });
    await waitFor(() => exact.ends.length > 0, "the range to end", 10_000);
    expect(exact.items.filter(isLogMarker)).toEqual([]);
    expect(exact.lines().map((l) => l.text).sort()).toEqual(["e5", "e6", "e7", "e8", "o5", "o6", "o7", "o8"]);
  }, 60_000);

  it("shares one Docker follow stream per container between viewers and stops it when the last leaves", async () => {
    const id = await run("shared", [], 'i=0; while :; do i=$((i+1)); echo "n $i"; sleep 0.05; done');
    const a = await browser(`viewer@logs.test`);
    const b = await browser(`operator@logs.test`);
    const subA = await subscribe(a, id, { tail: 5 });
    const subB = await subscribe(b, id, { tail: 5 });
    await waitFor(() => subA.lines().length > 10 && subB.lines().length > 10, "both viewers streaming", 20_000);
    const followsBefore = feature().followerCount();
    expect(feature().subscriptionCount()).toBeGreaterThanOrEqual(2);
    // Another socket cannot end a stream it does not own.
    expect(await b.timeout(5000).emitWithAck("logs:unsubscribe", { streamId: subA.streamId })).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    expect(await a.timeout(5000).emitWithAck("logs:unsubscribe", { streamId: subA.streamId })).toMatchObject({ ok: true });
    b.disconnect(); // closing the tab ends its streams
    await waitFor(() => feature().followerCount() === followsBefore - 1, "the container's follow stream stopped", 10_000);
    // Both viewers saw the same live lines while they overlapped, each once.
    const common = subA.lines().map((l) => l.text).filter((t) => subB.lines().some((l) => l.text === t));
    expect(common.length).toBeGreaterThan(5);
    expect(new Set(subA.lines().map((l) => l.ts)).size).toBe(subA.lines().length);
  }, 60_000);

  it("shows hostile lines as plain text: markup, escapes, invalid UTF-8, a 1 MB line", async () => {
    const script = "printf '<script>alert(1)</script>\\n'; printf '\\033]0;pwned\\007\\033[2Jcleared\\n'; printf '\\377\\376 bad\\n'; head -c 1048576 /dev/zero | tr '\\0' x; echo; echo done; sleep 3600";
    const id = await run("hostile", [], script);
    const socket = await browser(`viewer@logs.test`);
    const sub = await subscribe(socket, id, { tail: 100 });
    await waitFor(() => sub.lines().some((l) => l.text === "done"), "all hostile lines", 20_000);
    const texts = sub.lines().map((l) => l.text);
    expect(texts[0]).toBe("<script>alert(1)</script>");
    expect(texts[1]).toBe("\u001b]0;pwned\u0007\u001b[2Jcleared");
    expect(texts[2]).toBe("\uFFFD\uFFFD bad");
    expect(texts[3]).toHaveLength(1024 * 1024);
    expect(texts[3]).toMatch(/^x+$/);
  }, 60_000);

  it("logs.read returns a finite range with streams marked", async () => {
    const id = await run("finite", [], 'for i in 1 2 3 4 5; do echo "o$i"; echo "e$i" >&2; done; sleep 3600');
    await waitFor(async () => (await env.as("viewer").logs.read({ hostId: env.hostId, containerId: id, tail: 100 })).lines.length === 10, "ten lines", 10_000);
    const all = (await env.as("viewer").logs.read({ hostId: env.hostId, containerId: id })).lines;
    expect(all.map((l) => l.text).sort()).toEqual(["e1", "e2", "e3", "e4", "e5", "o1", "o2", "o3", "o4", "o5"]);
    expect(all.map((l) => l.ts)).toEqual(all.map((l) => l.ts).sort()); // in time order
    expect(all.every((l) => (l.text.startsWith("e") ? l.stream === "stderr" : l.stream === "stdout"))).toBe(true);
    const { lines, truncated } = await env.as("viewer").logs.read({ hostId: env.hostId, containerId: id, tail: 4 });
    expect(truncated).toBe(false);
    expect(lines).toHaveLength(4);
    // Docker's tail is the last entries of its file, where each stream is in order but not the two together.
    for (const l of lines) expect(all.some((a) => a.ts === l.ts && a.text === l.text && a.stream === l.stream)).toBe(true);
    const since = all[5]!.ts;
    const after = (await env.as("viewer").logs.read({ hostId: env.hostId, containerId: id, since })).lines;
    expect(after.map((l) => l.text)).toEqual(all.slice(5).map((l) => l.text)); // since is inclusive
    expect(await env.as("viewer").logs.read({ hostId: env.hostId, containerId: "pt-no-such-container" }).then(() => "OK", (e: { code?: string }) => e.code)).toBe("NOT_FOUND");
  }, 60_000);
});
