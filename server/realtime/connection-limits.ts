import type http from "node:http";
import type { Socket as NetSocket } from "node:net";
import { z } from "zod";
import type { Server } from "socket.io";
import type { Log } from "../log";

/**
 * Bounds on connections that have not proved who they are. Authenticated agents and signed-in browsers
 * are never counted, so a fleet of thousands of agents behind one NAT address is not refused; the
 * defaults leave room for a reconnect storm of a few thousand agents from one address.
 */
export type ConnectionLimits = {
  /** socket.io connections (handshake done) not yet authenticated in a namespace, per source address. */
  pendingPerAddress: number;
  pendingTotal: number;
  /** TCP connections that have not sent a complete HTTP request yet, per source address. */
  idleTcpPerAddress: number;
  /** How long a TCP connection may take to send its request headers (then 408 and closed). */
  headersTimeoutMs: number;
};

const ZLimitsEnv = z.object({
  PORTOLAN_MAX_PENDING_PER_ADDRESS: z.coerce.number().int().positive().default(4_096),
  PORTOLAN_MAX_PENDING_TOTAL: z.coerce.number().int().positive().default(10_000),
  PORTOLAN_MAX_IDLE_TCP_PER_ADDRESS: z.coerce.number().int().positive().default(4_096),
  PORTOLAN_HEADERS_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(300).default(10),
});

export function connectionLimitsFromEnv(env: Record<string, string | undefined> = process.env): ConnectionLimits {
  const e = ZLimitsEnv.parse(env);
  return {
    pendingPerAddress: e.PORTOLAN_MAX_PENDING_PER_ADDRESS,
    pendingTotal: e.PORTOLAN_MAX_PENDING_TOTAL,
    idleTcpPerAddress: e.PORTOLAN_MAX_IDLE_TCP_PER_ADDRESS,
    headersTimeoutMs: e.PORTOLAN_HEADERS_TIMEOUT_SECONDS * 1000,
  };
}

/** Options for http.createServer: silent or trickling clients are answered 408 and closed. */
export function httpServerTimeouts(limits: ConnectionLimits): http.ServerOptions {
  return { headersTimeout: limits.headersTimeoutMs, connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs) };
}

/** Counts per source address; `take` refuses past the cap. */
class Counter {
  private readonly counts = new Map<string, number>();
  total = 0;
  get(address: string): number {
    return this.counts.get(address) ?? 0;
  }
  add(address: string, delta: 1 | -1): void {
    const next = this.get(address) + delta;
    if (next <= 0) this.counts.delete(address);
    else this.counts.set(address, next);
    this.total += delta;
  }
}

/**
 * Caps TCP connections that have sent no request yet, per source address (the rest is left to the
 * headers timeout). Upgraded and keep-alive connections stop counting after their first request.
 */
export function limitIdleTcp(server: http.Server, limits: ConnectionLimits, log: Log): void {
  const idle = new Counter();
  const addressOf = new WeakMap<NetSocket, string>();
  let refused = 0;
  const settle = (socket: NetSocket) => {
    const address = addressOf.get(socket);
    if (address === undefined) return;
    addressOf.delete(socket);
    idle.add(address, -1);
  };
  server.on("connection", (socket: NetSocket) => {
    const address = socket.remoteAddress ?? "?";
    if (idle.get(address) >= limits.idleTcpPerAddress) {
      if (refused++ % 1000 === 0) log.warn({ address, refused, cap: limits.idleTcpPerAddress }, "too many idle connections from one address: refusing");
      return void socket.destroy();
    }
    addressOf.set(socket, address);
    idle.add(address, 1);
    socket.once("close", () => settle(socket));
  });
  server.on("request", (req: http.IncomingMessage) => settle(req.socket));
  server.on("upgrade", (req: http.IncomingMessage) => settle(req.socket));
}

/**
 * Caps socket.io connections that have not authenticated: checked at the engine.io handshake
 * (`allowRequest`, so refusals cost no session), released when the connection closes or `trust` is
 * called for it (an agent that answered the challenge, a browser the /live middleware let in).
 */
export class PendingConnections {
  private readonly pending = new Counter();
  /** Handshake request or engine connection -> the address it is counted under. */
  private readonly counted = new WeakMap<object, string>();
  private refused = 0;

  constructor(
    private readonly limits: ConnectionLimits,
    private readonly addressOf: (req: http.IncomingMessage) => string,
    private readonly log: Log,
  ) {}

  readonly allowRequest = (req: http.IncomingMessage, callback: (err: string | null | undefined, success: boolean) => void): void => {
    const address = this.addressOf(req);
    if (this.pending.get(address) >= this.limits.pendingPerAddress || this.pending.total >= this.limits.pendingTotal) {
      if (this.refused++ % 1000 === 0) {
        this.log.warn({ address, refused: this.refused, fromAddress: this.pending.get(address), total: this.pending.total }, "too many unauthenticated connections: refusing");
      }
      return callback("too many unauthenticated connections", false);
    }
    this.counted.set(req, address);
    this.pending.add(address, 1);
    // A handshake that never becomes a connection gives its place back when its socket goes.
    req.socket.once("close", () => this.release(req));
    callback(null, true);
  };

  attach(io: Server): void {
    io.engine.on("connection", (conn: { request: object; once(event: "close", fn: () => void): void }) => {
      const address = this.counted.get(conn.request);
      if (address === undefined) return;
      this.counted.delete(conn.request);
      this.counted.set(conn, address);
      conn.once("close", () => this.release(conn));
    });
  }

  /** The connection proved who it is: it no longer counts. */
  trust(conn: object): void {
    this.release(conn);
  }

  get size(): number {
    return this.pending.total;
  }

  private release(key: object): void {
    const address = this.counted.get(key);
    if (address === undefined) return;
    this.counted.delete(key);
    this.pending.add(address, -1);
  }
}
