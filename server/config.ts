import path from "node:path";
import { z } from "zod";
import { databaseFileDir, resolveDatabaseUrl } from "./db/database-url";
import { normalizeIp } from "./http/client-ip";

const ZServerEnv = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("127.0.0.1"),
  DATABASE_URL: z.string().optional(),
  PORTOLAN_DATA_DIR: z.string().optional(),
  PORTOLAN_PUBLIC_URL: z.url().optional(),
  PORTOLAN_ADMIN_EMAIL: z.email().optional(),
  PORTOLAN_ADMIN_PASSWORD: z.string().min(12).max(128).optional(),
  BETTER_AUTH_SECRET: z.string().min(32).optional(),
  PORTOLAN_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  /** Seconds after which an agent that stopped answering heartbeats is shown offline. */
  PORTOLAN_AGENT_TIMEOUT: z.coerce.number().int().min(5).max(60).default(20),
  /** Seconds after a server start during which hosts seen just before it show "reconnecting", not offline. */
  PORTOLAN_RECONNECT_GRACE: z.coerce.number().int().min(0).max(3600).default(60),
  /** Comma-separated proxy addresses whose X-Forwarded-For is believed (none by default). */
  PORTOLAN_TRUSTED_PROXIES: z.string().default(""),
  /** Seconds without terminal input or output after which a web terminal is closed. */
  PORTOLAN_TERMINAL_IDLE_SECONDS: z.coerce.number().int().min(1).max(7 * 24 * 3600).default(900),
  /** Several replicas behind one address share live state through this Redis (unset: one process, in memory). */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL").optional(),
  NODE_ENV: z.string().default("development"),
});

export type ServerConfig = {
  port: number;
  host: string;
  databaseUrl: string;
  dataDir: string;
  publicUrl: string | null;
  admin: { email: string; password: string } | null;
  authSecret: string | undefined;
  logLevel: "debug" | "info" | "warn" | "error";
  agentTimeoutSeconds: number;
  reconnectGraceSeconds: number;
  trustedProxies: ReadonlySet<string>;
  terminalIdleSeconds: number;
  /** Set when this process is one of several replicas (see docs/DEPLOY.md). */
  redisUrl: string | null;
  dev: boolean;
};

export function loadServerConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  const parsed = ZServerEnv.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`invalid server configuration: ${problems}`);
  }
  const e = parsed.data;
  if (Boolean(e.PORTOLAN_ADMIN_EMAIL) !== Boolean(e.PORTOLAN_ADMIN_PASSWORD)) {
    throw new Error("set both PORTOLAN_ADMIN_EMAIL and PORTOLAN_ADMIN_PASSWORD, or neither");
  }
  const databaseUrl = resolveDatabaseUrl(e.DATABASE_URL);
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl,
    // Keys and secrets live beside a SQLite file; with PostgreSQL in ./data unless PORTOLAN_DATA_DIR says otherwise.
    dataDir: path.resolve(e.PORTOLAN_DATA_DIR ?? databaseFileDir(databaseUrl) ?? "data"),
    publicUrl: e.PORTOLAN_PUBLIC_URL?.replace(/\/+$/, "") ?? null,
    admin: e.PORTOLAN_ADMIN_EMAIL && e.PORTOLAN_ADMIN_PASSWORD ? { email: e.PORTOLAN_ADMIN_EMAIL, password: e.PORTOLAN_ADMIN_PASSWORD } : null,
    authSecret: e.BETTER_AUTH_SECRET,
    logLevel: e.PORTOLAN_LOG_LEVEL,
    agentTimeoutSeconds: e.PORTOLAN_AGENT_TIMEOUT,
    reconnectGraceSeconds: e.PORTOLAN_RECONNECT_GRACE,
    trustedProxies: new Set(e.PORTOLAN_TRUSTED_PROXIES.split(",").map((ip) => normalizeIp(ip)).filter(Boolean)),
    terminalIdleSeconds: e.PORTOLAN_TERMINAL_IDLE_SECONDS,
    redisUrl: e.REDIS_URL ?? null,
    dev: e.NODE_ENV !== "production",
  };
}
