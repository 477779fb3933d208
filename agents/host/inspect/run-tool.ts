import { execFile } from "node:child_process";

const TOOL_TIMEOUT_MS = 5_000;
const MAX_OUTPUT_BYTES = 16 << 20;

/** Runs a host tool (fixed argv, no shell) and resolves with its stdout; rejects with its stderr's first line. */
export function runTool(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: TOOL_TIMEOUT_MS, maxBuffer: MAX_OUTPUT_BYTES, env: { ...process.env, PATH: "/usr/sbin:/usr/bin:/sbin:/bin", LC_ALL: "C" } }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${file} ${args.join(" ")}: ${(stderr.split("\n")[0] || err.message).slice(0, 500)}`));
      else resolve(stdout);
    });
  });
}
