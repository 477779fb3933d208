import type { Socket } from "socket.io-client";
import { MAX_TERMINAL_INPUT_CHARS, type TerminalExit, type TerminalMode, type TerminalOutput } from "../../../agents/protocol/terminal";

export type TerminalEnd = { code: number | null; reason: string };
type Ack<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };
export type OpenRequest = { hostId: string; containerId: string; mode: TerminalMode; cmd?: string[]; user?: string; cols: number; rows: number };

/**
 * One terminal session over the tab's /live socket. Output is acked only once rendered, so a busy
 * tab slows the process instead of piling up text. Output that arrives before the open's answer
 * (it can overtake it) is held and replayed once the session id is known.
 */
export class TerminalLink {
  private sessionId: string | null = null;
  private seq = 0;
  private early: { out: TerminalOutput; ack: () => void }[] = [];
  private ended = false;

  constructor(
    private readonly socket: Socket,
    private readonly handlers: { output(data: string, rendered: () => void): void; exit(end: TerminalEnd): void },
  ) {
    socket.on("terminal:output", this.onOutput);
    socket.on("terminal:exit", this.onExit);
    socket.on("disconnect", this.onDisconnect);
  }

  async open(request: OpenRequest): Promise<Ack<{ sessionId: string; cmd: string[] | null }>> {
    let reply: Ack<{ sessionId: string; cmd: string[] | null }>;
    try {
      reply = await this.socket.timeout(30_000).emitWithAck("terminal:open", request);
    } catch {
      reply = { ok: false, error: { code: "TIMEOUT", message: "the server did not answer in time" } };
    }
    if (reply.ok && !this.ended) {
      this.sessionId = reply.data.sessionId;
      for (const { out, ack } of this.early.splice(0)) if (out.sessionId === this.sessionId) this.handlers.output(out.data, ack);
    }
    this.early = [];
    return reply;
  }

  /** Keystrokes or a paste; a long paste goes as several messages, in order. */
  input(data: string): void {
    if (!this.sessionId || this.ended) return;
    let rest = data;
    while (rest.length > 0) {
      let cut = Math.min(MAX_TERMINAL_INPUT_CHARS, rest.length);
      const code = rest.charCodeAt(cut - 1);
      if (cut < rest.length && code >= 0xd800 && code <= 0xdbff) cut -= 1; // keep surrogate pairs whole
      this.socket.emit("terminal:input", { sessionId: this.sessionId, seq: this.seq++, data: rest.slice(0, cut) });
      rest = rest.slice(cut);
    }
  }

  resize(cols: number, rows: number): void {
    if (this.sessionId && !this.ended) this.socket.emit("terminal:resize", { sessionId: this.sessionId, cols, rows });
  }

  /** Ends the session (the server ends the process) and stops listening. */
  close(): void {
    if (this.sessionId && !this.ended) this.socket.emit("terminal:close", { sessionId: this.sessionId });
    this.ended = true;
    this.dispose();
  }

  dispose(): void {
    this.socket.off("terminal:output", this.onOutput);
    this.socket.off("terminal:exit", this.onExit);
    this.socket.off("disconnect", this.onDisconnect);
  }

  private readonly onOutput = (out: TerminalOutput, ack: () => void) => {
    if (this.ended) return;
    if (this.sessionId === null) this.early.push({ out, ack });
    else if (out.sessionId === this.sessionId) this.handlers.output(out.data, ack);
  };

  private readonly onExit = (exit: TerminalExit) => {
    if (exit.sessionId !== this.sessionId || this.ended) return;
    this.ended = true;
    this.dispose();
    this.handlers.exit({ code: exit.code, reason: exit.reason });
  };

  private readonly onDisconnect = () => {
    if (this.ended) return;
    this.ended = true;
    this.dispose();
    // The server ends a socket's sessions when it goes: a reconnect cannot resume this one.
    this.handlers.exit({ code: null, reason: "the connection to the server dropped" });
  };
}
