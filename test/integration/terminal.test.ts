import { io, type Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TERMINAL_OPEN_LIFETIME_MS, type TerminalExit, type TerminalOutput } from "../../agents/protocol";
import { signTerminalOpen } from "../../server/domain/terminal/sign-terminal-open";
import { startControlEnv, type ControlEnv } from "../support/control-env";
import { docker } from "../support/docker-cli";
import { waitFor } from "../support/test-services";

// Real server + gateways, the real agent in-process, real containers on the local engine.
const PASSWORD = "correct-horse-battery";
type Ack<T = unknown> = { ok: boolean; data?: T; error?: { code: string; message: string } };

let env: ControlEnv;
let box = ""; // `sh` with a TTY: exec and attach target
let plain = ""; // `sleep` without a TTY
const terms: Term[] = [];

/** One browser tab's /live socket, collecting terminal output per session. */
class Term {
  readonly output = new Map<string, string>();
  readonly exits = new Map<string, TerminalExit>();
  readonly ended: { stream: string; reason: string }[] = [];
  /** While set, output is not acked (a tab that does not keep up); the acks wait here. */
  held: (() => void)[] | null = null;
  private readonly seq = new Map<string, number>();
  private constructor(readonly socket: Socket) {
    socket.on("terminal:output", (out: TerminalOutput, ack: () => void) => {
      this.output.set(out.sessionId, (this.output.get(out.sessionId) ?? "") + out.data);
      // Answer cursor-position queries as xterm.js does (busybox's line editor waits for the reply).
      if (out.data.includes("\x1b[6n")) void this.type(out.sessionId, "\x1b[1;1R");
      if (this.held) this.held.push(ack);
      else ack();
    });
    socket.on("terminal:exit", (exit: TerminalExit) => this.exits.set(exit.sessionId, exit));
    socket.on("stream:ended", (info: { stream: string; reason: string }) => this.ended.push(info));
  }

  static async as(role: "admin" | "operator" | "viewer"): Promise<Term> {
    const res = await env.services.auth.api.signInEmail({ body: { email: `${role}@term.test`, password: PASSWORD }, asResponse: true });
    const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0]!;
    const socket = io(env.server.url + "/live", { transports: ["websocket"], reconnection: false, forceNew: true, extraHeaders: { cookie, origin: env.server.url } });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", reject);
    });
    const term = new Term(socket);
    terms.push(term);
    return term;
  }

  emit<T = null>(event: string, payload: unknown): Promise<Ack<T>> {
    return this.socket.timeout(15_000).emitWithAck(event, payload) as Promise<Ack<T>>;
  }

  async open(extra: Record<string, unknown> = {}): Promise<string> {
    const reply = await this.emit<{ sessionId: string }>("terminal:open", { hostId: env.hostId, containerId: box, mode: "exec", cols: 80, rows: 24, ...extra });
    expect(reply).toMatchObject({ ok: true });
    return reply.data!.sessionId;
  }

  nextSeq(sessionId: string): number {
    return this.seq.get(sessionId) ?? 0;
  }

  type(sessionId: string, data: string, seq?: number): Promise<Ack> {
    const next = seq ?? this.seq.get(sessionId) ?? 0;
    this.seq.set(sessionId, Math.max(next + 1, this.seq.get(sessionId) ?? 0));
    return this.emit("terminal:input", { sessionId, seq: next, data });
  }

  async sees(sessionId: string, pattern: RegExp, what = String(pattern)): Promise<void> {
    await waitFor(() => pattern.test(this.output.get(sessionId) ?? ""), `terminal output ${what}; got ${JSON.stringify(this.output.get(sessionId) ?? "")}`);
  }

  exitOf(sessionId: string): Promise<TerminalExit> {
    return waitFor(() => this.exits.get(sessionId), `terminal:exit of ${sessionId}`);
  }
}

/** The command lines of the container's processes, as the host sees them (`docker top`). */
const top = async (container = box) => (await docker(["top", container, "-eo", "pid,args"])).split("\n").slice(1).map((l) => l.trim().replace(/^\d+\s+/, ""));
const running = (args: string) => async () => (await top()).includes(args);
const gone = (args: string) => async () => !(await top()).includes(args);
const onlyMainProcess = async () => (await top()).join("|") === "sh";
const auditRows = (action: string) => env.services.db.auditEvent.findMany({ where: { action }, orderBy: { id: "asc" } });
const paramsOf = (row: { params: string | null }) => JSON.parse(row.params ?? "{}") as Record<string, unknown>;

beforeAll(async () => {
  env = await startControlEnv("term");
  const labels = Object.entries(env.labels).flatMap(([k, v]) => ["--label", `${k}=${v}`]);
  box = await docker(["run", "-d", "-i", "-t", ...labels, "--name", env.name("box"), "local/busybox:latest", "sh"]);
  plain = await docker(["run", "-d", ...labels, "--name", env.name("plain"), "local/busybox:latest", "sleep", "3600"]);
  await waitFor(() => {
    const known = env.services.registry.get(env.hostId)?.containers;
    return known?.get(box)?.state === "running" && known.get(plain)?.state === "running";
  }, "both containers in the registry");
}, 60_000);

afterEach(() => {
  // A failed test must not leave its shells behind for the next one to count.
  terms.splice(0).forEach((t) => t.socket.disconnect());
});

afterAll(async () => {
  terms.forEach((t) => t.socket.disconnect());
  await env?.stop();
});

describe("[TERMINAL] exec", () => {
  it("runs a command and shows its output; multi-byte UTF-8 arrives whole; the start is audited with the command", async () => {
    const t = await Term.as("admin");
    const id = await t.open();
    await t.type(id, "echo $((6*7))\r");
    await t.sees(id, /\r\n42\r\n/, "42 on a line of its own");
    await t.type(id, "echo 'héllo ✓ 日本語 🚢'\r");
    await waitFor(() => (t.output.get(id) ?? "").split("héllo ✓ 日本語 🚢").length >= 3, "the UTF-8 line echoed and printed");
    expect(t.output.get(id)).not.toContain("\uFFFD");
    const start = (await auditRows("terminal.start")).find((r) => paramsOf(r).sessionId === id);
    expect(start).toMatchObject({ actor: "admin@term.test", hostId: env.hostId, result: "requested" });
    expect(paramsOf(start!)).toMatchObject({ mode: "exec", cmd: "default shell", user: null, containerId: box });
    expect(start!.params).not.toContain("6*7"); // terminal I/O never reaches the audit log
    await t.emit("terminal:close", { sessionId: id });
  });

  it("resizes the TTY: stty size follows", async () => {
    const t = await Term.as("admin");
    const id = await t.open({ cols: 90, rows: 20 });
    await t.type(id, "stty size\r");
    await t.sees(id, /\r\n20 90\r\n/);
    expect(await t.emit("terminal:resize", { sessionId: id, cols: 132, rows: 41 })).toEqual({ ok: true, data: null });
    await t.type(id, "stty size\r");
    await t.sees(id, /\r\n41 132\r\n/);
    await t.emit("terminal:close", { sessionId: id });
  });

  it("runs the chosen command as the chosen user", async () => {
    const t = await Term.as("operator");
    const id = await t.open({ cmd: ["/bin/sh"], user: "nobody" });
    await t.type(id, "id -u\r");
    await t.sees(id, /\r\n65534\r\n/);
    await t.emit("terminal:close", { sessionId: id });
    const start = (await auditRows("terminal.start")).find((r) => paramsOf(r).sessionId === id);
    expect(paramsOf(start!)).toMatchObject({ cmd: ["/bin/sh"], user: "nobody", mode: "exec" });
  });

  it("applies input in the order typed even when messages are handled out of order", async () => {
    const t = await Term.as("admin");
    const id = await t.open();
    await t.sees(id, /\x1b\[6n/, "the first prompt (its cursor query is answered at once)");
    const next = t.nextSeq(id);
    await t.type(id, "$((1+1))\r", next + 1);
    await t.type(id, "echo ordered-", next);
    await t.sees(id, /\r\nordered-2\r\n/);
    await t.emit("terminal:close", { sessionId: id });
  });

  it("closing the terminal ends the exec process and its jobs (gone from docker top); the end is audited", async () => {
    const t = await Term.as("admin");
    const id = await t.open();
    await t.type(id, "sleep 31337\r");
    await waitFor(running("sleep 31337"), "sleep 31337 in docker top");
    const before = Date.now();
    expect(await t.emit("terminal:close", { sessionId: id })).toEqual({ ok: true, data: null });
    expect(await t.exitOf(id)).toMatchObject({ reason: "closed by the user" });
    await waitFor(gone("sleep 31337"), "sleep 31337 gone from docker top", 5_000);
    await waitFor(onlyMainProcess, "only the container's main process left");
    const end = await waitFor(async () => (await auditRows("terminal.end")).find((r) => paramsOf(r).sessionId === id), "terminal.end audit row");
    expect(end).toMatchObject({ actor: "admin@term.test", result: "ok" });
    expect(paramsOf(end)).toMatchObject({ reason: "closed by the user", exitCode: null, mode: "exec" });
    expect(paramsOf(end).durationMs).toEqual(expect.any(Number));
    expect(Date.now() - before).toBeLessThan(5_000);
  });

  it("closing the tab (socket gone) ends the exec process", async () => {
    const t = await Term.as("admin");
    const id = await t.open();
    await t.type(id, "sleep 31338\r");
    await waitFor(running("sleep 31338"), "sleep 31338 in docker top");
    t.socket.disconnect();
    await waitFor(gone("sleep 31338"), "sleep 31338 gone after the tab closed", 5_000);
    const end = await waitFor(async () => (await auditRows("terminal.end")).find((r) => paramsOf(r).sessionId === id), "terminal.end audit row");
    expect(paramsOf(end)).toMatchObject({ reason: "the browser tab closed" });
  });

  it("reports the process's own exit with its code", async () => {
    const t = await Term.as("admin");
    const id = await t.open({ cmd: ["/bin/sh"] });
    await t.type(id, "exit 3\r");
    expect(await t.exitOf(id)).toEqual({ sessionId: id, code: 3, reason: "the process exited with code 3" });
    const end = await waitFor(async () => (await auditRows("terminal.end")).find((r) => paramsOf(r).sessionId === id), "terminal.end audit row");
    expect(paramsOf(end)).toMatchObject({ exitCode: 3, cmd: ["/bin/sh"] });
    // The session is over: more input is refused.
    expect(await t.type(id, "echo late\r")).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
  });

  it("closes a session idle (no input, no output) for the configured time, and ends its process", async () => {
    const saved = env.services.config.terminalIdleSeconds;
    env.services.config.terminalIdleSeconds = 2;
    try {
      const t = await Term.as("admin");
      const opened = Date.now();
      const id = await t.open({ cmd: ["/bin/sh", "-c", "sleep 31339"] });
      await waitFor(running("sleep 31339"), "sleep 31339 in docker top");
      const exit = await waitFor(() => t.exits.get(id), "idle close", 8_000);
      expect(exit.reason).toBe("closed after 2 s without input or output");
      expect(Date.now() - opened).toBeGreaterThanOrEqual(2_000);
      await waitFor(gone("sleep 31339"), "sleep 31339 gone after the idle close", 5_000);

      // Output alone counts as activity: a process that keeps printing is not idle.
      const busy = await t.open({ cmd: ["/bin/sh", "-c", "while true; do echo tick; sleep 0.5; done"] });
      await new Promise((r) => setTimeout(r, 3_500));
      expect(t.exits.has(busy)).toBe(false);
      expect((t.output.get(busy) ?? "").split("tick").length).toBeGreaterThan(4);
      await t.emit("terminal:close", { sessionId: busy });
    } finally {
      env.services.config.terminalIdleSeconds = saved;
    }
  });
});

describe("[TERMINAL] flow control", () => {
  it("a tab that stops acking stops the output at a bounded amount; acking again delivers all of it", async () => {
    const t = await Term.as("admin");
    t.held = [];
    const id = await t.open({ cmd: ["/bin/sh", "-c", "yes 0123456789 | head -c 3000000; echo; echo END-OF-FLOOD"] });
    await waitFor(() => (t.output.get(id)?.length ?? 0) > 100_000, "the first output");
    await new Promise((r) => setTimeout(r, 1_500));
    const stalled = t.output.get(id)!.length;
    expect(stalled).toBeLessThan(600_000); // the agent's window (plus one message), not the 3.3 M characters
    await new Promise((r) => setTimeout(r, 500));
    expect(t.output.get(id)!.length).toBe(stalled); // nothing more arrives while unacked
    const held = t.held;
    t.held = null;
    held.forEach((ack) => ack());
    await t.sees(id, /END-OF-FLOOD/);
    expect(t.output.get(id)!.split("0123456789").length - 1).toBe(Math.floor(3_000_000 / 11));
    expect(await t.exitOf(id)).toMatchObject({ code: 0 });
  });
});

describe("[TERMINAL] attach", () => {
  it("attaches to a TTY container's main process; detaching leaves the container running", async () => {
    const t = await Term.as("admin");
    const id = await t.open({ mode: "attach" });
    await t.type(id, "echo attached-$((2+3))\r");
    await t.sees(id, /\r\nattached-5\r\n/);
    await t.emit("terminal:close", { sessionId: id });
    await new Promise((r) => setTimeout(r, 500)); // give a wrongly closed stdin time to stop the shell
    expect(await docker(["inspect", "-f", "{{.State.Running}}", box])).toBe("true");
    await waitFor(onlyMainProcess, "only the container's main process left");
  });

  it("says plainly that a container without a TTY cannot be attached to", async () => {
    const t = await Term.as("admin");
    const reply = await t.emit("terminal:open", { hostId: env.hostId, containerId: plain, mode: "attach", cols: 80, rows: 24 });
    expect(reply).toMatchObject({ ok: false, error: { code: "NO_TTY" } });
    expect(reply.error!.message).toMatch(/no TTY/);
    // terminal.end is written after the reply (the session is already over): wait for it to land.
    await waitFor(async () => (await auditRows("terminal.end")).at(-1)?.result === "error: NO_TTY", "the NO_TTY terminal.end entry");
  });
});

describe("[TERMINAL] access", () => {
  it("refuses a caller without container:exec, and audits the refusal", async () => {
    const t = await Term.as("viewer");
    const reply = await t.emit("terminal:open", { hostId: env.hostId, containerId: box, mode: "exec", cols: 80, rows: 24 });
    expect(reply).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    const denied = await env.services.db.auditEvent.findFirst({ where: { action: "authz.denied", actor: "viewer@term.test", target: "live:terminal:open" } });
    expect(denied).toMatchObject({ result: "denied", hostId: env.hostId });
    expect(await env.services.db.auditEvent.count({ where: { action: "terminal.start", actor: "viewer@term.test" } })).toBe(0);
  });

  it("refuses input, resize and close for another socket's session (even the same user's)", async () => {
    const owner = await Term.as("admin");
    const other = await Term.as("admin");
    const id = await owner.open();
    for (const [event, payload] of [
      ["terminal:input", { sessionId: id, seq: 0, data: "echo hijacked\r" }],
      ["terminal:resize", { sessionId: id, cols: 50, rows: 10 }],
      ["terminal:close", { sessionId: id }],
    ] as const) {
      expect(await other.emit(event, payload)).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    }
    await owner.type(id, "echo still-$((40+2))\r");
    await owner.sees(id, /\r\nstill-42\r\n/);
    expect(owner.output.get(id)).not.toContain("hijacked");
    expect(other.output.size).toBe(0);
    const denied = await env.services.db.auditEvent.findMany({ where: { action: "authz.denied", target: "live:terminal:input" } });
    expect(denied.some((r) => paramsOf(r).sessionId === id)).toBe(true);
    await owner.emit("terminal:close", { sessionId: id });
  });

  it("ends the session (and its process) when the caller loses container:exec", async () => {
    const { services } = env;
    const user = await services.db.user.findUniqueOrThrow({ where: { email: "operator@term.test" } });
    const t = await Term.as("operator");
    const id = await t.open();
    await t.type(id, "sleep 31340\r");
    await waitFor(running("sleep 31340"), "sleep 31340 in docker top");
    const grants = await services.db.grant.findMany({ where: { userId: user.id } });
    await services.db.grant.updateMany({ where: { userId: user.id }, data: { roleId: "role-viewer" } });
    services.accessChanges.notify("test: operator became viewer");
    try {
      expect(await t.exitOf(id)).toMatchObject({ reason: "your access to terminals on this host was removed" });
      expect(t.ended).toContainEqual({ stream: `terminal:${id}`, reason: "your access to terminals on this host was removed" });
      await waitFor(gone("sleep 31340"), "sleep 31340 gone after access was removed", 5_000);
    } finally {
      for (const g of grants) await services.db.grant.update({ where: { id: g.id }, data: { roleId: g.roleId } });
      services.accessChanges.notify("test: restored");
    }
  });
});

describe("[TERMINAL] agent link", () => {
  it("ends sessions, and their processes, when the agent goes away", async () => {
    const t = await Term.as("admin");
    const id = await t.open();
    await t.type(id, "sleep 31341\r");
    await waitFor(running("sleep 31341"), "sleep 31341 in docker top");
    await env.restartAgent();
    expect(await t.exitOf(id)).toMatchObject({ reason: "the host's agent disconnected", code: null });
    await waitFor(gone("sleep 31341"), "sleep 31341 gone after the agent stopped", 5_000);
    // The restarted agent opens new terminals (opens signed after it started).
    const again = await t.open();
    await t.type(again, "echo back-$((1+2))\r");
    await t.sees(again, /\r\nback-3\r\n/);
    await t.emit("terminal:close", { sessionId: again });
  });
});

describe("[TERMINAL] agent checks the server's signature", () => {
  const base = () => ({ sessionId: `sig-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`, hostId: env.hostId, containerId: box, mode: "exec" as const, cmd: ["/bin/true"], user: null, cols: 80, rows: 24, actorId: null });
  const send = async (payload: unknown) => {
    const result = await env.services.commands.links.send(env.hostId, "terminal:open", payload, 10_000);
    expect(result?.kind).toBe("reply");
    return (result as { reply: Ack }).reply;
  };

  it("opens only signed, fresh, unused opens for this host", async () => {
    const key = env.services.serverKey;
    const good = signTerminalOpen(key, base(), Date.now());
    expect(await send({ ...good, envelope: { ...good.envelope, cmd: ["/bin/sh"] } })).toMatchObject({ ok: false, error: { code: "BAD_SIGNATURE" } });
    expect(await send(signTerminalOpen(key, { ...base(), hostId: "another-host" }, Date.now()))).toMatchObject({ ok: false, error: { code: "WRONG_HOST" } });
    expect(await send(signTerminalOpen(key, base(), Date.now() - TERMINAL_OPEN_LIFETIME_MS - 31_000))).toMatchObject({ ok: false, error: { code: "EXPIRED" } });
    expect(await send({ envelope: good.envelope })).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
    expect(await send(good)).toMatchObject({ ok: true, data: { cmd: ["/bin/true"] } });
    expect(await send(good)).toMatchObject({ ok: false, error: { code: "REPLAYED" } });
  });
});
