import type { Socket } from "socket.io-client";
import type { Ack, AgentToServerEvents, CommandReply, ServerToAgentEvents } from "../../protocol";
import type { Logger } from "../log";
import type { ContainerRuntime } from "../runtime/container-runtime";
import type { RecentCommands } from "./recent-commands";

type AgentSocket = Socket<ServerToAgentEvents, AgentToServerEvents>;
type Link = { hostId: string; serverPublicKey: string; epoch: number };

const ACK_TIMEOUT_MS = 30_000;

/**
 * The agent's end of the command channel: runs "command:run" (and answers "query:run") only on an
 * authenticated link, and reports outcomes whenever a link comes up, so replies lost with an old link
 * still reach the server.
 */
export class CommandChannel {
  private link: Link | null = null;
  private epoch = 0;
  private authenticating: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly socket: AgentSocket,
    private readonly deps: { runtime: ContainerRuntime; recent: RecentCommands; log: Logger },
  ) {
    socket.on("command:run", (raw: unknown, ack: unknown) => {
      const reply = typeof ack === "function" ? (ack as (r: CommandReply) => void) : () => undefined;
      // A command can arrive in the same network read as our authentication result: it waits for
      // the authentication step to finish instead of being refused.
      void this.authenticating.then(() => this.run(raw, reply));
    });
    socket.on("query:run", (raw: unknown, ack: unknown) => {
      const reply = typeof ack === "function" ? (ack as (r: Ack<unknown>) => void) : () => undefined;
      void this.authenticating.then(async () => {
        if (!this.link) return reply({ ok: false, error: { code: "NOT_READY", message: "agent has not authenticated the server yet" } });
        // Loaded on the first query (with the query and inspector schemas): see scripts/build-agent.mjs.
        const { answerQuery } = await import("../queries/answer-query");
        reply(await answerQuery(raw, { runtime: deps.runtime, log: deps.log }));
      });
    });
    socket.on("disconnect", () => {
      this.link = null;
    });
  }

  /** The authentication step now under way on this socket. */
  authenticatingWith(step: Promise<unknown>): void {
    this.authenticating = step;
  }

  /** The server proved itself and named our host: commands may run, and past outcomes go out first. */
  connected(hostId: string, serverPublicKey: string): void {
    this.link = { hostId, serverPublicKey, epoch: ++this.epoch };
    this.report();
  }

  private run(raw: unknown, reply: (r: CommandReply) => void): void {
    const link = this.link;
    if (!link) return reply({ ok: false, error: { code: "NOT_READY", message: "agent has not authenticated the server yet" } });
    const { runtime, recent, log } = this.deps;
    // Loaded on the first command (with the command and control schemas): see scripts/build-agent.mjs.
    const running = Promise.all([import("./run-command"), import("./command-io")]).then(([{ runSignedCommand }, { commandIo }]) => {
      const io = (commandId: string) => commandIo(this.socket, commandId);
      return runSignedCommand(raw, { runtime, recent, log, io, hostId: link.hostId, serverPublicKey: link.serverPublicKey });
    });
    void running.then(
      (result) => {
        if (this.link?.epoch === link.epoch) return reply(result);
        // The link the command came on is gone, and its ack with it: report on the current link.
        const commandId = (raw as { envelope?: { commandId?: unknown } } | null)?.envelope?.commandId;
        if (typeof commandId === "string") this.report([commandId]);
      },
      (err: Error) => log.error("command handling failed", { error: err.message }),
    );
  }

  private report(commandIds?: string[]): void {
    if (!this.link) return; // the next authentication reports everything
    const report = this.deps.recent.report(commandIds);
    if (commandIds && report.outcomes.length === 0) return;
    this.socket
      .timeout(ACK_TIMEOUT_MS)
      .emitWithAck("command:outcomes", report)
      .then((ack: Ack<null>) => {
        if (!ack.ok) this.deps.log.warn("server refused command outcomes", { error: ack.error.message });
      })
      .catch((err: Error) => this.deps.log.warn("command outcomes not acknowledged", { error: err.message }));
  }
}
