import type { Socket } from "socket.io";

/** The peer address of a socket. Forwarded headers are not trusted here (no proxy is configured). */
export function socketAddress(socket: Pick<Socket, "handshake">): string | null {
  return socket.handshake.address || null;
}
