import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { docker } from "../../test/support/docker-cli";

export type MachineInfo = { cores: number; cpu: string; memoryGiB: number; kernel: string; node: string; docker: string; loadAvg: number[] };

/** What the numbers were measured on; printed next to them and stored with them. */
export async function machineInfo(dockerHost?: string): Promise<MachineInfo> {
  const version = await docker(["version", "--format", "client {{.Client.Version}}, engine {{.Server.Version}} (API {{.Server.APIVersion}})"], dockerHost).catch((err: Error) => `unknown (${err.message})`);
  return {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model.trim() ?? "unknown",
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    docker: version,
    loadAvg: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

export function describeMachine(m: MachineInfo): string {
  return `${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB, ${m.kernel}, node ${m.node}, docker ${m.docker}, load ${m.loadAvg.join(" ")}`;
}

/** Writes bench/results/<name>-<timestamp>.json (git-ignored) and returns its path. */
export function writeResults(name: string, data: unknown): string {
  const dir = path.join(import.meta.dirname, "..", "results");
  fs.mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-").replace(/-\d{3}Z$/, "Z");
  const file = path.join(dir, `${name}-${stamp}.json`);
  fs.writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}
