import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import type { AppRouter } from "../../server/trpc/router";
import { signIn as signInAs, startProductionServer, type ProductionServer } from "../../test/support/production-server";
import type { Cleanup } from "./benchmark";

const REPO = path.resolve(import.meta.dirname, "..", "..");
const PROBE = path.join(import.meta.dirname, "server-probe.mjs");
export const BENCH_ADMIN = { email: "bench-admin@portolan.test", password: "bench-admin-password-42" };

/**
 * A private copy of the production build (`next build` output in .next), so other people rebuilding
 * the shared tree cannot change the server under a running benchmark. With `build`, the tree is built
 * first (under the lock the e2e tests and builds share).
 */
export function snapshotBuild(dir: string, build: boolean): string {
  const root = path.join(dir, "app");
  fs.mkdirSync(root, { recursive: true });
  const copy = `${build ? "npx next build >" + path.join(dir, "build.log") + " 2>&1 && " : ""}cp -a .next ${root}/.next && rm -rf ${root}/.next/cache`;
  execFileSync("flock", ["/tmp/portolan-next.lock", "bash", "-c", copy], { cwd: REPO, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) throw new Error("no production build in .next: run with --build (or npm run build)");
  // What server/index.ts reads relative to its working directory; sources stay in the repo.
  for (const entry of ["node_modules", "package.json", "next.config.ts", "tsconfig.json", "prisma", "prisma.config.ts", "server", "agents"]) {
    fs.symlinkSync(path.join(REPO, entry), path.join(root, entry));
  }
  return root;
}

export type ServerProcess = ProductionServer & { probeFile: string };

/**
 * The real server (server/index.ts, NODE_ENV=production) pinned to one core, with the bench probe
 * preloaded. `cpuProfDir` writes a V8 CPU profile there when the server exits.
 */
export async function startServer(opts: {
  root: string;
  dir: string;
  core: string;
  port?: number;
  name?: string;
  env?: Record<string, string>;
  cpuProfDir?: string;
  /** Further node/V8 flags for this run (experiments: `--server-flags "--trace-gc"`). */
  nodeFlags?: string[];
  cleanup: Cleanup;
}): Promise<ServerProcess> {
  const name = opts.name ?? "server";
  const probeFile = path.join(opts.dir, `${name}-probe.jsonl`);
  const server = await startProductionServer({
    name,
    port: opts.port,
    cwd: opts.root,
    log: path.join(opts.dir, `${name}.log`),
    databaseUrl: `file:${path.join(opts.dir, "portolan.db")}`,
    admin: BENCH_ADMIN,
    // Raised priority: the machine is shared, and what is measured is this server, not its neighbours.
    launcher: ["nice", "-n", "-10", "taskset", "-c", opts.core],
    nodeArgs: [...(opts.nodeFlags ?? []), ...(opts.cpuProfDir ? ["--cpu-prof", "--cpu-prof-dir", opts.cpuProfDir] : []), "--import", PROBE],
    env: { NODE_OPTIONS: "", PORTOLAN_DATA_DIR: opts.dir, PORTOLAN_BENCH_PROBE_FILE: probeFile, ...opts.env },
  });
  opts.cleanup.add(`${name} process`, () => server.process.stop());
  prioritise(server.pid);
  return { ...server, probeFile };
}

/**
 * The machine is shared and the kernel schedules each session (autogroup) fairly whatever its
 * processes' nice values, so a benchmarked process is given a higher autogroup priority too.
 */
export function prioritise(pid: number, nice = -10): void {
  try {
    fs.writeFileSync(`/proc/${pid}/autogroup`, String(nice));
  } catch {
    /* not permitted, or no autogroup scheduling: measure as is */
  }
}

/** SIGTERM and wait (up to 30 s) for the exit, so a --cpu-prof profile gets written. */
export async function stopServer(server: ServerProcess): Promise<void> {
  if (server.process.child.exitCode !== null) return;
  process.kill(-server.pid, "SIGTERM");
  await Promise.race([server.process.exited, new Promise((r) => setTimeout(r, 30_000))]);
}

/** Signs the bench admin in over HTTP like the login form does; returns the session cookie header. */
export const signIn = (url: string): Promise<string> => signInAs(url, BENCH_ADMIN);

/** One-time enrollment tokens through the real tRPC procedure (hosts.createEnrollment), batched over HTTP. */
export async function createEnrollmentTokens(url: string, cookie: string, names: string[]): Promise<string[]> {
  const trpc = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${url}/api/trpc`, maxItems: 50, headers: { cookie, origin: url } })] });
  const tokens: string[] = [];
  for (let i = 0; i < names.length; i += 200) {
    const chunk = await Promise.all(names.slice(i, i + 200).map((name) => trpc.hosts.createEnrollment.mutate({ name })));
    tokens.push(...chunk.map((e) => e.token));
  }
  return tokens;
}

/** The probe lines the server wrote since `since` (epoch ms). */
export function readProbe(file: string, since = 0, until = Infinity): { at: number; frames: number; loopP50Ms: number; loopP99Ms: number; loopMaxMs: number; rss: number; heapUsed: number }[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as ReturnType<typeof readProbe>[number])
    .filter((p) => p.at >= since && p.at <= until);
}

/** When the server read each probe change ("name#seq") from its agent, and first wrote it to a browser. */
export function readProbeChanges(probeFile: string): { in: Map<string, number>; out: Map<string, number> } {
  const seen = { in: new Map<string, number>(), out: new Map<string, number>() };
  const file = `${probeFile}.changes`;
  if (!fs.existsSync(file)) return seen;
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    if (!line) continue;
    const c = JSON.parse(line) as { dir: "in" | "out"; name: string; seq: number; at: number };
    const key = `${c.name}#${c.seq}`;
    if (!seen[c.dir].has(key)) seen[c.dir].set(key, c.at);
  }
  return seen;
}
