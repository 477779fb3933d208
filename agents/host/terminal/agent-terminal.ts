import type { Ack } from "../../protocol";
import type { AgentSocket } from "../agent-feature";
import type { Logger } from "../log";
import type { TerminalProcess } from "./docker-terminal";
import { OutputPump } from "./output-pump";

/** How long the server may take to ack one output message before the session is given up. */
const OUTPUT_ACK_TIMEOUT_MS = 60_000;
/** How long output still queued may hold back the exit notice. */
const DRAIN_BEFORE_EXIT_MS = 5_000;

/**
 * One open terminal on the agent: input goes to the process's TTY, output through the pump. It ends
 * either because the server closed it (the process is ended, nothing is reported back) or because
 * the process went away on its own (its exit code is reported as "terminal:exit").
 */
export class AgentTerminal {
  private ended = false;
  private readonly pump: OutputPump;

  constructor(
    readonly sessionId: string,
    private readonly proc: TerminalProcess,
    private readonly socket: AgentSocket,
    private readonly log: Logger,
    private readonly onGone: () => void,
  ) {
    this.pump = new OutputPump(proc.stream, (data) => this.sendOutput(data), (err) => void this.close(`output stopped: ${err.message}`, true));
    proc.stream.once("close", () => void this.processGone());
    proc.stream.on("error", (err) => log.warn("terminal stream error", { sessionId, error: err.message }));
  }

  write(data: string): void {
    if (!this.ended) this.proc.stream.write(Buffer.from(data, "utf8"));
  }

  resize(cols: number, rows: number): void {
    if (!this.ended) this.proc.resize(cols, rows).catch((err: Error) => this.log.debug("terminal resize failed", { sessionId: this.sessionId, error: err.message }));
  }

  /** Ends the session from our side; `report` tells the server too (it did not ask for this). */
  async close(reason: string, report = false): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.pump.stop();
    this.onGone();
    await this.proc.end().catch((err: Error) => this.log.error("could not end terminal process", { sessionId: this.sessionId, error: err.message }));
    if (report) this.socket.emit("terminal:exit", { sessionId: this.sessionId, code: null, reason });
  }

  private async processGone(): Promise<void> {
    if (this.ended) return;
    await this.pump.drained(DRAIN_BEFORE_EXIT_MS);
    if (this.ended) return;
    this.ended = true;
    this.onGone();
    const code = await this.proc.exitCode();
    const who = this.proc.cmd ? "the process" : "the container's main process";
    const reason = code === null ? "the terminal stream closed" : `${who} exited with code ${code}`;
    this.socket.emit("terminal:exit", { sessionId: this.sessionId, code, reason });
  }

  private async sendOutput(data: string): Promise<void> {
    const ack = (await this.socket.timeout(OUTPUT_ACK_TIMEOUT_MS).emitWithAck("terminal:output", { sessionId: this.sessionId, data })) as Ack<null>;
    if (!ack.ok) throw new Error(ack.error.message);
  }
}
