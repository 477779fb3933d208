import fs from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { ZCommandReply, type CommandOutcomeReport, type CommandReply } from "../../protocol/commands";

const FILE = "recent-commands.json";
const LIMIT = 1000;

const ZEntry = z.object({ commandId: z.string(), issuedAt: z.number(), reply: ZCommandReply.nullable() });
const ZRecord = z.object({ forgottenBefore: z.number(), entries: z.array(ZEntry) });
type Entry = z.infer<typeof ZEntry>;

export type Claim = "claimed" | "replayed" | "forgotten";

/**
 * The last commands this agent accepted and what became of them, kept beside its identity so a
 * restart neither runs a command twice nor forgets an outcome the server is still waiting for.
 * Anything issued at or before the oldest forgotten entry is refused: it can no longer be checked.
 */
export class RecentCommands {
  private writes: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string,
    private readonly entries: Map<string, Entry>,
    private forgottenBefore: number,
    private readonly limit: number,
  ) {}

  static async load(stateDir: string, limit = LIMIT): Promise<RecentCommands> {
    const file = path.join(stateDir, FILE);
    let text: string;
    try {
      text = await fs.readFile(file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
      return new RecentCommands(file, new Map(), 0, limit);
    }
    const parsed = ZRecord.safeParse(safeJson(text));
    // Starting afresh would forget which commands already ran: make a person decide.
    if (!parsed.success) throw new Error(`unreadable command record ${file}; move it aside to start afresh`);
    const entries = new Map(parsed.data.entries.map((e) => [e.commandId, e]));
    return new RecentCommands(file, entries, parsed.data.forgottenBefore, limit);
  }

  /** Takes a command id for running. Resolves once the claim is on disk; a failed write rejects. */
  async claim(commandId: string, issuedAt: number): Promise<Claim> {
    if (this.entries.has(commandId)) return "replayed";
    if (issuedAt <= this.forgottenBefore) return "forgotten";
    this.entries.set(commandId, { commandId, issuedAt, reply: null }); // synchronously: a twin arriving now is a replay
    for (const [id, entry] of this.entries) {
      if (this.entries.size <= this.limit) break;
      this.entries.delete(id);
      this.forgottenBefore = Math.max(this.forgottenBefore, entry.issuedAt);
    }
    await this.persist();
    return "claimed";
  }

  async settle(commandId: string, reply: CommandReply): Promise<void> {
    const entry = this.entries.get(commandId);
    if (!entry) return;
    entry.reply = reply;
    await this.persist();
  }

  report(commandIds?: string[]): CommandOutcomeReport {
    const all = [...this.entries.values()];
    const chosen = commandIds ? all.filter((e) => commandIds.includes(e.commandId)) : all;
    return { forgottenBefore: this.forgottenBefore, outcomes: chosen.map(({ commandId, reply }) => ({ commandId, reply })) };
  }

  /** Whole-file writes, one at a time, via fsync + rename: a crash leaves the old or the new record. */
  private persist(): Promise<void> {
    const snapshot = JSON.stringify({ forgottenBefore: this.forgottenBefore, entries: [...this.entries.values()] });
    const write = this.writes.then(async () => {
      const tmp = this.file + ".tmp";
      const handle = await fs.open(tmp, "w", 0o600);
      try {
        await handle.writeFile(snapshot);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.rename(tmp, this.file);
    });
    this.writes = write.catch(() => undefined);
    return write;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
