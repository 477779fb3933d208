import { execFile } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { startProcess, type Managed } from "../../support/processes";
import { signIn as signInAs, startProductionServer } from "../../support/production-server";

export { tail } from "../../support/production-server";

const run = promisify(execFile);
const REPO = path.resolve(import.meta.dirname, "..", "..", "..");
export const FAULT_ADMIN = { email: "faults-admin@portolan.test", password: "faults-admin-password-42" };

export type Workspace = { dir: string; databaseUrl: string; dbFile: string; cleanup(): void };

/**
 * A folder to run a production server from: a private copy of the current build (`next build` by
 * someone else may replace `.next` while our server runs), the repo's node_modules and config linked.
 */
export function makeWorkspace(prefix: string): Workspace {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `portolan-${prefix}-`));
  snapshotBuild(path.join(dir, ".next"));
  for (const name of ["node_modules", "package.json", "next.config.ts", "tsconfig.json", "dist", "prisma", "prisma.config.ts"]) {
    if (fs.existsSync(path.join(REPO, name))) fs.symlinkSync(path.join(REPO, name), path.join(dir, name));
  }
  fs.mkdirSync(path.join(dir, "data"));
  const dbFile = path.join(dir, "data", "portolan.db");
  return { dir, dbFile, databaseUrl: `file:${dbFile}`, cleanup: () => (process.env.FAULTS_KEEP ? undefined : fs.rmSync(dir, { recursive: true, force: true })) };
}

// The last complete build seen, kept so a build someone else is running does not stall the fault tests.
const LAST_BUILD = path.join(os.tmpdir(), "portolan-faults-last-build");

/** Copies `.next` (without its cache); while a build is rewriting it, waits, then falls back to the last complete copy. */
function snapshotBuild(target: string): void {
  const source = path.join(REPO, ".next");
  const buildId = (dir: string) => fs.readFileSync(path.join(dir, "BUILD_ID"), "utf8");
  const copy = (from: string, to: string) => fs.cpSync(from, to, { recursive: true, filter: (src) => !src.startsWith(path.join(from, "cache")) });
  for (let attempt = 1; attempt <= 30; attempt++) {
    try {
      const before = buildId(source);
      copy(source, target);
      if (buildId(source) === before && buildId(target) === before) {
        fs.rmSync(LAST_BUILD, { recursive: true, force: true });
        copy(target, LAST_BUILD);
        return;
      }
    } catch {
      /* a build is in progress */
    }
    fs.rmSync(target, { recursive: true, force: true });
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1_000);
  }
  if (!fs.existsSync(path.join(LAST_BUILD, "BUILD_ID"))) throw new Error(`no usable production build in ${source} (run npx next build)`);
  copy(LAST_BUILD, target);
}

export type ServerProcess = Managed & { url: string; port: number; pid: number; log: string };

/** `server/index.ts` as production runs it (one node process, so its pid is the server's), on a loopback port. */
export async function startServer(ws: Workspace, opts: { port?: number; env?: Record<string, string>; name?: string } = {}): Promise<ServerProcess> {
  const { process: proc, ...server } = await startProductionServer({
    port: opts.port,
    cwd: ws.dir,
    log: path.join(ws.dir, `${opts.name ?? "server"}.log`),
    databaseUrl: ws.databaseUrl,
    admin: FAULT_ADMIN,
    env: { PORTOLAN_LOG_LEVEL: "info", ...opts.env },
  });
  return { ...proc, ...server };
}

/** SIGKILL to the server's whole process group: no shutdown handler runs. */
export async function killHard(server: ServerProcess): Promise<void> {
  try {
    process.kill(-server.pid, "SIGKILL");
  } catch {
    /* already gone */
  }
  await server.exited;
}

/** `npm run cli -- …` against the workspace's database. */
export async function cli(ws: Workspace, args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(path.join(REPO, "node_modules", ".bin", "tsx"), [path.join(REPO, "server", "cli", "main.ts"), ...args], {
      cwd: REPO,
      env: { ...process.env, DATABASE_URL: ws.databaseUrl },
    });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: typeof e.code === "number" ? e.code : 1, out: (e.stdout ?? "") + (e.stderr ?? "") };
  }
}

export async function apiToken(ws: Workspace, name: string): Promise<string> {
  const { code, out } = await cli(ws, ["token", "create", "--email", FAULT_ADMIN.email, "--name", name]);
  if (code !== 0) throw new Error(`token create failed: ${out}`);
  return out.trim().split("\n").at(-1)!.trim();
}

/** One-time enrollment token for a host named `name`. */
export async function enrollToken(ws: Workspace, name: string): Promise<string> {
  const { code, out } = await cli(ws, ["host", "enroll", "--name", name, "--quiet"]);
  if (code !== 0) throw new Error(`host enroll failed: ${out}`);
  return out.trim().split("\n").at(-1)!.trim();
}

/** The real agent (sources via tsx) as its own process, against one engine. */
export function startAgentProcess(ws: Workspace, opts: { url: string; token: string; name: string; dockerHost?: string }): Managed & { log: string } {
  const stateDir = path.join(ws.dir, `agent-${opts.name}`);
  fs.mkdirSync(stateDir, { recursive: true });
  const log = path.join(ws.dir, `agent-${opts.name}.log`);
  const proc = startProcess(process.execPath, ["--import", "tsx", path.join(REPO, "agents", "host", "main.ts")], {
    cwd: REPO,
    log,
    env: { PORTOLAN_URL: opts.url, PORTOLAN_ENROLL_TOKEN: opts.token, PORTOLAN_STATE_DIR: stateDir, DOCKER_HOST: opts.dockerHost ?? "unix:///var/run/docker.sock", PORTOLAN_AGENT_LOG: "info" },
  });
  return { ...proc, log };
}

export type TrpcResult<T = unknown> = { status: number; data?: T; error?: { message: string; code: string; httpStatus?: number } };

/**
 * One tRPC call over HTTP as a Bearer-token client would make it, on a connection of its own: a pooled
 * keep-alive socket that the server closes as idle just when it is reused would fail the call for reasons
 * that have nothing to do with the fault under test.
 */
export function trpc<T = unknown>(url: string, token: string, procedure: string, input: unknown, kind: "query" | "mutation" = "mutation", timeoutMs = 60_000): Promise<TrpcResult<T>> {
  const query = kind === "query" && input !== undefined ? `?input=${encodeURIComponent(JSON.stringify(input))}` : "";
  const body = kind === "mutation" ? JSON.stringify(input ?? null) : undefined;
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/api/trpc/${procedure}${query}`, {
      method: kind === "mutation" ? "POST" : "GET",
      agent: false,
      timeout: timeoutMs,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...(body ? { "content-length": Buffer.byteLength(body) } : {}) },
    });
    req.on("timeout", () => req.destroy(new Error(`${procedure}: no answer in ${timeoutMs} ms`)));
    req.on("error", reject);
    req.on("response", (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("error", reject);
      res.on("end", () => {
        try {
          const parsed = JSON.parse(text) as { result?: { data: T }; error?: { message: string; data?: { code: string; httpStatus?: number } } };
          if (parsed.result) return resolve({ status: res.statusCode!, data: parsed.result.data });
          resolve({ status: res.statusCode!, error: { message: parsed.error?.message ?? "?", code: parsed.error?.data?.code ?? "?", httpStatus: parsed.error?.data?.httpStatus } });
        } catch {
          reject(new Error(`${procedure}: HTTP ${res.statusCode} with a body that is not JSON: ${text.slice(0, 200)}`));
        }
      });
    });
    req.end(body);
  });
}

/** Signs the faults admin in through better-auth's HTTP endpoint; returns the session cookie. */
export const signIn = (url: string): Promise<string> => signInAs(url, FAULT_ADMIN);

export function openFds(pid: number): number {
  return fs.readdirSync(`/proc/${pid}/fd`).length;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
