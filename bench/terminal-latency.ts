import Docker from "dockerode";
import type { Duplex } from "node:stream";
import { io, type Socket } from "socket.io-client";
import type { TerminalOutput } from "../agents/protocol/terminal";
import { dockerOptions } from "../agents/host/runtime/docker-runtime";
import { docker } from "../test/support/docker-cli";
import { waitFor } from "../test/support/test-services";
import { intFlag, type Benchmark, type BenchContext } from "./support/benchmark";
import { describeMachine, machineInfo, writeResults } from "./support/machine";
import { startPortolanStack } from "./support/portolan-stack";
import { summarize, table } from "./support/stats";

const IMAGE = "local/busybox:latest";

export const benchmark: Benchmark = {
  name: "terminal-latency",
  description: "web terminal keystroke → echo round trip and bulk output rate through Portolan (browser socket → server → agent → exec) vs a direct Docker exec stream",
  run,
};

/** One TTY session as a pair of functions: send text, and be told of every output chunk. */
type Session = { send(text: string): void; onOutput(fn: (text: string) => void): void; close(): void };

async function run({ argv, cleanup }: BenchContext): Promise<void> {
  const keystrokes = intFlag(argv, "keystrokes", 200);
  const megabytes = intFlag(argv, "megabytes", 8);
  const dockerHost = process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock";
  const machine = await machineInfo(dockerHost);
  console.log(describeMachine(machine));
  const stack = await startPortolanStack({ cleanup, dockerHost, agent: "auto" });
  console.log(`agent: ${stack.agent.mode}`);

  const name = `pt-bench-term-${process.pid}`;
  const id = await docker(["run", "-d", "-i", "-t", "--name", name, "--label", "portolan.test=1", IMAGE, "sh"]);
  cleanup.add("container", () => docker(["rm", "-f", id]));
  await waitFor(() => stack.services.registry.get(stack.hostId)?.containers.get(id)?.state === "running", "the benchmark container", 15_000);

  const socket: Socket = io(`${stack.server.url}/live`, { transports: ["websocket"], reconnection: false, forceNew: true, extraHeaders: { cookie: stack.cookie, origin: stack.server.url } });
  cleanup.add("socket", () => socket.disconnect());
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("connect_error", reject));
  const direct = new Docker({ ...dockerOptions(dockerHost), timeout: undefined });

  const portolan = async (cmd: string[]): Promise<Session> => {
    const listeners: ((t: string) => void)[] = [];
    const reply = (await socket.timeout(15_000).emitWithAck("terminal:open", { hostId: stack.hostId, containerId: id, mode: "exec", cmd, cols: 120, rows: 40 })) as { ok: boolean; data?: { sessionId: string }; error?: { message: string } };
    if (!reply.ok) throw new Error(`terminal:open refused: ${reply.error?.message}`);
    const sessionId = reply.data!.sessionId;
    let seq = 0;
    socket.on("terminal:output", (out: TerminalOutput, ack: () => void) => {
      if (out.sessionId === sessionId) listeners.forEach((fn) => fn(out.data));
      ack();
    });
    return {
      send: (data) => socket.emit("terminal:input", { sessionId, seq: seq++, data }),
      onOutput: (fn) => listeners.push(fn),
      close: () => {
        socket.emit("terminal:close", { sessionId });
        socket.off("terminal:output");
      },
    };
  };
  const baseline = async (cmd: string[]): Promise<Session> => {
    const exec = await direct.getContainer(id).exec({ Cmd: cmd, Tty: true, AttachStdin: true, AttachStdout: true, AttachStderr: true });
    const stream: Duplex = await exec.start({ hijack: true, stdin: true, Tty: true });
    const decoder = new TextDecoder();
    return {
      send: (data) => stream.write(data),
      onOutput: (fn) => stream.on("data", (chunk: Buffer) => fn(decoder.decode(chunk, { stream: true }))),
      close: () => stream.destroy(),
    };
  };

  // 1. Keystroke echo: `cat` on a TTY echoes each typed character at once (the line discipline does).
  const echo = async (open: (cmd: string[]) => Promise<Session>) => {
    const session = await open(["cat"]);
    let seen = "";
    session.onOutput((t) => (seen += t));
    const samples: number[] = [];
    for (let i = 0; i < keystrokes; i++) {
      const ch = String.fromCharCode(97 + (i % 26));
      const before = seen.length;
      const t0 = performance.now();
      session.send(ch);
      while (seen.length === before || !seen.slice(before).includes(ch)) await new Promise((r) => setImmediate(r));
      samples.push(performance.now() - t0);
    }
    session.close();
    return summarize(samples.slice(10)); // skip the warm-up
  };
  const ours = await echo(portolan);
  const theirs = await echo(baseline);
  console.log(`\nKeystroke → echo round trip, ${keystrokes} keystrokes one at a time (ms):`);
  console.log(table(["path", "n", "p50", "p95", "max", "mean"], [
    ["portolan (socket → server → agent → exec)", String(ours.n), ours.p50, ours.p95, ours.max, ours.mean],
    ["docker exec stream (baseline)", String(theirs.n), theirs.p50, theirs.p95, theirs.max, theirs.mean],
  ]));

  // 2. Bulk output: the same byte count through each path, acked by the reader as it arrives.
  const bytes = megabytes * 1024 * 1024;
  const bulk = async (open: (cmd: string[]) => Promise<Session>) => {
    const t0 = performance.now();
    const session = await open(["/bin/sh", "-c", `yes 0123456789abcdef | head -c ${bytes}; echo; echo BULK-DONE`]);
    let tail = "";
    let chars = 0;
    await new Promise<void>((resolve) =>
      session.onOutput((t) => {
        chars += t.length;
        tail = (tail + t).slice(-64);
        if (tail.includes("BULK-DONE")) resolve();
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    session.close();
    return { seconds, chars, mbPerSecond: bytes / 1024 / 1024 / seconds };
  };
  const ourBulk = await bulk(portolan);
  const theirBulk = await bulk(baseline);
  console.log(`\nBulk output, ${megabytes} MiB (a TTY turns \\n into \\r\\n, so slightly more arrives):`);
  console.log(table(["path", "seconds", "MiB/s", "chars received"], [
    ["portolan", ourBulk.seconds, ourBulk.mbPerSecond, String(ourBulk.chars)],
    ["docker exec stream (baseline)", theirBulk.seconds, theirBulk.mbPerSecond, String(theirBulk.chars)],
  ]));
  console.log(`echo p50 above the baseline: ${(ours.p50 - theirs.p50).toFixed(1)} ms; bulk rate ${(ourBulk.mbPerSecond / theirBulk.mbPerSecond).toFixed(2)}× the baseline`);
  writeResults("terminal-latency", { machine, keystrokes, megabytes, echo: { portolan: ours, baseline: theirs }, bulk: { portolan: ourBulk, baseline: theirBulk } });
}
