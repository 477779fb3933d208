import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { freePort } from "../../test/support/processes";
import type { Cleanup } from "./benchmark";

const REPO = path.resolve(import.meta.dirname, "..", "..");

export type BenchRedis = { url: string; pid: number };

/**
 * A private Redis (scripts/ensure-redis.sh on a free loopback port, files in `dir`), so its CPU is
 * this benchmark's alone and nobody else's bus is disturbed. Stopped (by its pid) at cleanup.
 */
export async function startRedis(dir: string, cleanup: Cleanup): Promise<BenchRedis> {
  const port = await freePort();
  const redisDir = path.join(dir, "redis");
  execFileSync(path.join(REPO, "scripts", "ensure-redis.sh"), { stdio: "inherit", env: { ...process.env, REDIS_PORT: String(port), REDIS_DIR: redisDir } });
  const pid = Number(fs.readFileSync(path.join(redisDir, "redis.pid"), "utf8").trim());
  cleanup.add("redis", () => {
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      /* already gone */
    }
  });
  return { url: `redis://127.0.0.1:${port}`, pid };
}
