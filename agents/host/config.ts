import os from "node:os";
import path from "node:path";
import { z } from "zod";

const ZAgentEnv = z.object({
  PORTOLAN_URL: z.url({ protocol: /^https?$/, error: "PORTOLAN_URL must be an http(s) URL of the Portolan server" }).optional(),
  PORTOLAN_ENROLL_TOKEN: z.string().optional(),
  PORTOLAN_STATE_DIR: z.string().optional(),
  DOCKER_HOST: z.string().optional(),
  PORTOLAN_AGENT_LOG: z.enum(["debug", "info", "warn", "error"]).default("info"),
});

export type AgentConfig = {
  /** Absent once enrolled: the agent then dials the server it enrolled with. */
  serverUrl: string | undefined;
  enrollToken: string | undefined;
  stateDir: string;
  dockerHost: string;
  logLevel: "debug" | "info" | "warn" | "error";
};

export function loadAgentConfig(env: Record<string, string | undefined> = process.env): AgentConfig {
  const parsed = ZAgentEnv.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`invalid agent configuration: ${problems}`);
  }
  const e = parsed.data;
  return {
    serverUrl: e.PORTOLAN_URL?.replace(/\/+$/, ""),
    enrollToken: e.PORTOLAN_ENROLL_TOKEN?.trim() || undefined,
    stateDir: path.resolve(e.PORTOLAN_STATE_DIR ?? defaultStateDir()),
    dockerHost: e.DOCKER_HOST ?? "unix:///var/run/docker.sock",
    logLevel: e.PORTOLAN_AGENT_LOG,
  };
}

function defaultStateDir(): string {
  return process.getuid?.() === 0 ? "/var/lib/portolan-agent" : path.join(os.homedir(), ".portolan-agent");
}
