import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo, Socket } from "node:net";
import type { Server } from "socket.io";
import { createServices } from "../../server/bootstrap";
import { loadServerConfig } from "../../server/config";
import { createServerLogger } from "../../server/log";
import { attachRealtime } from "../../server/realtime/attach-realtime";
import type { Services } from "../../server/services";
import { createTestDatabase } from "./test-database";
import { closeBulkWriter } from "../../server/db/sqlite-bulk";

/**
 * Real services on a fresh database (migrations applied as in production): a SQLite file in a temp dir,
 * or with PORTOLAN_TEST_DATABASE=postgres a new PostgreSQL database, dropped by cleanup(). Keys live in the dir.
 */
export async function createTestServices(env: Record<string, string> = {}): Promise<Services & { dir: string; cleanup(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portolan-test-"));
  const database = await createTestDatabase(dir);
  const config = loadServerConfig({ DATABASE_URL: database.url, PORTOLAN_DATA_DIR: dir, PORTOLAN_AGENT_TIMEOUT: "5", NODE_ENV: "test", ...env });
  const services = await createServices(config, createServerLogger(process.env.TEST_LOG_LEVEL ?? "silent"));
  return {
    ...services,
    dir,
    async cleanup() {
      // A pool that cannot drain must not hang the suite: the drop below ends any leftover session.
      await closeBulkWriter(services.db);
      await settleWithin(services.db.$disconnect(), 15_000, "database disconnect");
      await database.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An http.Server with the real socket.io gateways (no Next) on a random loopback port. */
export async function startRealtimeServer(services: Services): Promise<{ url: string; io: Server; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  // Upgraded (websocket) sockets leave the http server's own tracking: keep them to end them on close.
  const sockets = new Set<Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  const io = attachRealtime(server, services);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    io,
    close: () => new Promise<void>((resolve) => {
      void io.close();
      server.close(() => resolve());
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
    }),
  };
}

/** Waits until check() returns a truthy value (polling), or fails with the message. */
export async function waitFor<T>(check: () => T | Promise<T>, message: string, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${message}${last ? `: ${String(last)}` : ""}`);
}

async function settleWithin(work: Promise<unknown>, ms: number, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), ms)));
  const outcome = await Promise.race([work.then(() => "done" as const), late]);
  clearTimeout(timer);
  if (outcome === "late") console.warn(`test cleanup: ${what} did not finish in ${ms} ms; carrying on`);
}
