import pino from "pino";

export type Log = pino.Logger;

export function createServerLogger(level: string): Log {
  return pino({
    level,
    base: { component: "server" },
    // Belt and braces: these never belong in a log line, even if passed by mistake.
    redact: ["password", "token", "*.password", "*.token", "headers.authorization", "headers.cookie"],
  });
}
