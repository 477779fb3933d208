import fs from "node:fs";
import path from "node:path";
import { SERVER_NODE_FLAGS } from "../../server/node-flags";
import { freePort, startProcess, type Managed } from "./processes";

const SERVER_ENTRY = path.resolve(import.meta.dirname, "..", "..", "server", "index.ts");

export type Admin = { email: string; password: string };
export type ProductionServer = { url: string; port: number; process: Managed; pid: number; log: string };

/**
 * `server/index.ts` as production runs it (NODE_ENV=production, its V8 flags, the `.next` build in `cwd`) on a
 * loopback port, its first admin from the environment; resolves once /api/health answers. The server
 * is node itself (`--import tsx`, no wrapper process), so `pid` is the server's unless `launcher`
 * (e.g. `nice … taskset …`) puts a command in front that does not exec it.
 */
export async function startProductionServer(opts: {
  databaseUrl: string;
  admin: Admin;
  log: string;
  port?: number;
  cwd?: string;
  /** Added to the production environment, and overriding it. */
  env?: Record<string, string>;
  /** Node options after `--import tsx` (more preloads, --cpu-prof). */
  nodeArgs?: string[];
  launcher?: string[];
  name?: string;
  timeoutMs?: number;
}): Promise<ProductionServer> {
  const port = opts.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const node = [process.execPath, ...SERVER_NODE_FLAGS, "--import", "tsx", ...(opts.nodeArgs ?? []), SERVER_ENTRY];
  const [command, ...args] = [...(opts.launcher ?? []), ...node] as [string, ...string[]];
  const proc = startProcess(command, args, {
    cwd: opts.cwd,
    log: opts.log,
    env: {
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: opts.databaseUrl,
      PORTOLAN_ADMIN_EMAIL: opts.admin.email,
      PORTOLAN_ADMIN_PASSWORD: opts.admin.password,
      ...opts.env,
    },
  });
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  for (;;) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (proc.child.exitCode !== null || Date.now() > deadline) {
      await proc.stop();
      throw new Error(`${opts.name ?? "server"} did not start:\n${tail(opts.log)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, port, process: proc, pid: proc.child.pid!, log: opts.log };
}

/** Signs `admin` in over HTTP as the login form does; returns the session cookie header. */
export async function signIn(url: string, admin: Admin): Promise<string> {
  const res = await fetch(`${url}/api/auth/sign-in/email`, { method: "POST", headers: { "content-type": "application/json", origin: url }, body: JSON.stringify(admin) });
  const cookies = res.headers.getSetCookie().map((c) => c.split(";")[0]!).filter((c) => c.includes("="));
  if (!res.ok || !cookies.length) throw new Error(`sign-in failed: HTTP ${res.status} ${await res.text()}`);
  return cookies.join("; ");
}

/** The end of a log file, for error messages. */
export function tail(file: string, chars = 3000): string {
  try {
    return fs.readFileSync(file, "utf8").slice(-chars);
  } catch {
    return `(no ${file})`;
  }
}
