import { cursorOf, type LogBatch, type LogLine, type LogStreamName } from "../../../agents/protocol/logs";
import type { Db } from "../../db/client";
import type { Log } from "../../log";
import type { HostRegistry } from "../../realtime/host-registry";
import type { LogRelay } from "./log-relay";
import { ruleFor, type RetentionRule } from "./retention-rules";

const PRUNE_EVERY_MS = 60_000;
/** How far back a newly retained container starts (it may have logged before the rule existed). */
const FIRST_TAIL = 10_000;

/**
 * Keeps the logs of opted-in containers in the database so they outlive the container. Each such
 * container gets one relayed stream whose sink is the table; the relay resumes it after agent
 * restarts from the last stored line, and a prune pass keeps each container within its rule.
 */
export class LogRetention {
  private rules: RetentionRule[] = [];
  /** "hostId/containerId" → the relayed stream keeping it. */
  private readonly active = new Map<string, string>();
  private readonly opening = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private readonly onChanged = (hostId: string) => void this.reconcile(hostId).catch((err) => this.deps.log.error({ err, hostId }, "log retention reconcile failed"));

  constructor(private readonly deps: { db: Db; registry: HostRegistry; relay: LogRelay; log: Log }) {}

  async start(): Promise<void> {
    await this.reload();
    this.deps.registry.on("changed", this.onChanged);
    this.timer = setInterval(() => void this.prune().catch((err) => this.deps.log.error({ err }, "log retention prune failed")), PRUNE_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    this.deps.registry.off("changed", this.onChanged);
    if (this.timer) clearInterval(this.timer);
    for (const streamId of this.active.values()) this.deps.relay.close(streamId);
    this.active.clear();
  }

  /** Rules changed: re-read them, start or stop streams everywhere, and prune at once. */
  async reload(): Promise<void> {
    this.rules = await this.deps.db.logRetentionRule.findMany();
    for (const host of this.deps.registry.all()) await this.reconcile(host.hostId);
    await this.prune();
  }

  private async reconcile(hostId: string): Promise<void> {
    // Runs on every registry change (each container event): nothing to do unless some rule exists.
    if (!this.rules.length && !this.active.size) return;
    const host = this.deps.registry.get(hostId);
    if (!host) return;
    const present = new Set<string>();
    for (const container of host.containers.values()) {
      const key = `${hostId}/${container.id}`;
      present.add(key);
      const rule = ruleFor(this.rules, hostId, container.labels);
      const streamId = this.active.get(key);
      if (!rule && streamId) {
        this.deps.relay.close(streamId);
        this.active.delete(key);
      } else if (rule && host.online && (!streamId || !this.deps.relay.has(streamId)) && !this.opening.has(key)) {
        this.opening.add(key);
        await this.keep(hostId, container.id, container.name, rule).finally(() => this.opening.delete(key));
      }
    }
    for (const [key, streamId] of this.active) {
      if (key.startsWith(`${hostId}/`) && !present.has(key) && !this.deps.relay.has(streamId)) this.active.delete(key);
    }
  }

  private async keep(hostId: string, containerId: string, containerName: string, rule: RetentionRule): Promise<void> {
    const { db } = this.deps;
    const last = await db.retainedLogLine.groupBy({ by: ["stream"], where: { hostId, containerId }, _max: { ts: true } });
    const after = cursorOf(Object.fromEntries(last.filter((r) => r._max.ts).map((r) => [r.stream as LogStreamName, r._max.ts!])));
    const options = after ? { tail: FIRST_TAIL, follow: true, after } : { tail: FIRST_TAIL, follow: true };
    const result = await this.deps.relay.open({
      hostId,
      containerId,
      options,
      sink: { deliver: (batch) => this.store(batch, { hostId, containerId, containerName, ruleId: rule.id }) },
    });
    if (result.ok) this.active.set(`${hostId}/${containerId}`, result.streamId);
    else this.deps.log.warn({ hostId, containerId, code: result.code }, "cannot retain logs of a container");
  }

  private async store(batch: LogBatch, where: { hostId: string; containerId: string; containerName: string; ruleId: string }): Promise<boolean> {
    const lines = batch.items.filter((i): i is LogLine => "text" in i);
    if (lines.length) {
      await this.deps.db.retainedLogLine.createMany({
        data: lines.map((l) => ({ ...where, ts: l.ts, stream: l.stream, text: l.text, bytes: Buffer.byteLength(l.text) + 48 })),
      });
    }
    if (batch.end) this.active.delete(`${where.hostId}/${where.containerId}`);
    return true;
  }

  /** Drops lines past each rule's age, then the oldest lines of each container past its size. */
  async prune(now = Date.now()): Promise<void> {
    const { db } = this.deps;
    const ruleIds = this.rules.map((r) => r.id);
    await db.retainedLogLine.deleteMany({ where: { ruleId: { notIn: ruleIds } } });
    for (const rule of this.rules) {
      const cutoff = new Date(now - rule.maxDays * 86_400_000).toISOString().replace("Z", "000000Z");
      await db.retainedLogLine.deleteMany({ where: { ruleId: rule.id, ts: { lt: cutoff } } });
      const sizes = await db.retainedLogLine.groupBy({ by: ["hostId", "containerId"], where: { ruleId: rule.id }, _sum: { bytes: true } });
      for (const size of sizes) {
        const excess = (size._sum.bytes ?? 0) - rule.maxMb * 1024 * 1024;
        if (excess > 0) await this.dropOldest(size.hostId, size.containerId, excess);
      }
    }
  }

  private async dropOldest(hostId: string, containerId: string, excess: number): Promise<void> {
    const { db } = this.deps;
    let dropped = 0;
    while (dropped < excess) {
      const oldest = await db.retainedLogLine.findMany({ where: { hostId, containerId }, orderBy: { id: "asc" }, take: 2000, select: { id: true, bytes: true } });
      if (!oldest.length) return;
      let upTo = oldest[0]!.id;
      for (const row of oldest) {
        if (dropped >= excess) break;
        dropped += row.bytes;
        upTo = row.id;
      }
      await db.retainedLogLine.deleteMany({ where: { hostId, containerId, id: { lte: upTo } } });
    }
  }
}
