import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startProcess, type Managed } from "./processes";
import { waitFor } from "./test-services";

const FORWARDER = fileURLToPath(new URL("./netns-forwarder.mjs", import.meta.url));
const KEEPER = fileURLToPath(new URL("./netns-keeper.mjs", import.meta.url));
const CUT_RULE = ["INPUT", "-i", "lo", "-j", "DROP"];

export type NetnsLink = {
  /** The namespace's name (under /run/netns). */
  name: string;
  /** What a process inside the namespace dials to reach the target: http://127.0.0.1:<port>. */
  url: string;
  /** Starts a command inside the namespace (network only: mounts, /sys and cgroups stay the host's). */
  start(command: string, args: string[], opts: { env?: Record<string, string>; log: string; cwd?: string }): Managed;
  /** Drops every packet on the namespace's loopback: connections half-open, as in a real cut (no RST). */
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
};

/**
 * A network namespace whose 127.0.0.1:<port> leads to `target` (a port on the root namespace's
 * loopback) through a unix socket file: netns forwarder -> unix socket -> root forwarder -> target.
 * Everything stays on loopback; the cut happens inside the namespace, so nothing outside it is touched.
 * What runs inside dies with the namespace, which a keeper process removes when this process ends,
 * however it ends.
 */
export async function createNetnsLink(opts: { name: string; targetPort: number; dir: string; port?: number }): Promise<NetnsLink> {
  const { name, dir } = opts;
  const port = opts.port ?? 7000;
  const unixPath = path.join(dir, `${name}.sock`);
  const processes: Managed[] = [];
  const keeper = keepNamespace(name, path.join(dir, `${name}-keeper.log`));
  let cutActive = false;
  const sockets = new Set<net.Socket>();

  // Root side: unix socket -> target port.
  fs.rmSync(unixPath, { force: true });
  const rootSide = net.createServer((inbound) => {
    const outbound = net.connect(opts.targetPort, "127.0.0.1");
    sockets.add(inbound).add(outbound);
    const close = () => {
      inbound.destroy();
      outbound.destroy();
      sockets.delete(inbound);
      sockets.delete(outbound);
    };
    inbound.on("error", close).on("close", close);
    outbound.on("error", close).on("close", close);
    inbound.pipe(outbound);
    outbound.pipe(inbound);
  });
  await new Promise<void>((resolve, reject) => rootSide.once("error", reject).listen(unixPath, resolve));

  const link: NetnsLink = {
    name,
    url: `http://127.0.0.1:${port}`,
    start(command, args, o) {
      const managed = startProcess("nsenter", [`--net=/run/netns/${name}`, "--", command, ...args], o);
      processes.push(managed);
      return managed;
    },
    async cut() {
      await run("ip", ["netns", "exec", name, "iptables", "-w", "-A", ...CUT_RULE]);
      cutActive = true;
    },
    async restore() {
      await run("ip", ["netns", "exec", name, "iptables", "-w", "-D", ...CUT_RULE]);
      cutActive = false;
    },
    async close() {
      if (cutActive) await link.restore().catch(() => undefined);
      for (const p of processes.reverse()) await p.stop().catch(() => undefined);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => rootSide.close(() => resolve()));
      fs.rmSync(unixPath, { force: true });
      await keeper.release();
    },
  };

  try {
    await run("ip", ["netns", "add", name]);
    await run("ip", ["netns", "exec", name, "ip", "link", "set", "lo", "up"]);
    const log = path.join(dir, `${name}-forwarder.log`);
    link.start(process.execPath, [FORWARDER, String(port), unixPath], { log });
    await waitFor(() => fs.existsSync(log) && fs.readFileSync(log, "utf8").includes(`ready ${port}`), `forwarder in ${name}`);
  } catch (err) {
    await link.close();
    throw err;
  }
  return link;
}

/**
 * Runs netns-keeper.mjs for `name` in a process group of its own, holding its stdin: released (or this
 * process gone), it kills what still runs in the namespace and deletes it. Unref'd, so a test that
 * never closes its link does not keep this process alive.
 */
function keepNamespace(name: string, log: string): { release(): Promise<void> } {
  const out = fs.openSync(log, "a");
  const keeper = spawn(process.execPath, [KEEPER, name], { detached: true, stdio: ["pipe", out, out] });
  fs.closeSync(out);
  const exited = new Promise<void>((resolve) => keeper.once("exit", () => resolve()));
  keeper.unref();
  (keeper.stdin as net.Socket).unref();
  return {
    async release() {
      keeper.ref();
      keeper.stdin!.end();
      await exited;
    },
  };
}

/**
 * Removes namespaces an earlier test run left behind when its keeper could not run (killed with it):
 * only names made by createNetnsLink's callers (`pt-<tag>-<pid>`) whose test process is gone.
 */
export async function removeStaleNetns(): Promise<void> {
  const names = (await run("ip", ["netns", "list"])).split("\n").map((l) => l.split(" ")[0] ?? "");
  for (const name of names) {
    const pid = Number(/^pt-[a-z0-9]+-(\d+)$/.exec(name)?.[1]);
    if (!pid || pid === process.pid || isAlive(pid)) continue;
    await run(process.execPath, [KEEPER, name, "--now"]);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${command} ${args.join(" ")}: ${stderr.trim() || err.message}`));
      else resolve(stdout);
    });
  });
}
