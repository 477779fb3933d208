import Docker from "dockerode";
import { z } from "zod";
import { dockerOptions } from "../runtime/docker-runtime";
import { toRuntimeError } from "../runtime/runtime-error";

const ZLogInspect = z.object({
  Id: z.string(),
  Name: z.string().default(""),
  Config: z.object({ Tty: z.boolean().default(false) }).partial().default({}),
  State: z.object({ Running: z.boolean().default(false) }).partial().default({}),
});
export type LogTarget = { id: string; name: string; tty: boolean; running: boolean };

/** What log streaming needs from the engine; Docker's implementation below, over its own client. */
export interface LogSource {
  /** The container's id, TTY mode and state, or null once it no longer exists. */
  inspect(ref: string): Promise<LogTarget | null>;
  /** A finite read (no follow): the raw multiplexed (or TTY) bytes with timestamps. */
  read(id: string, opts: { tail: number | "all"; since?: string; until?: string }): Promise<Buffer>;
  /** A follow stream from `since` (or from now when absent); ends when the container stops. */
  follow(id: string, opts: { since?: string }, signal: AbortSignal): Promise<NodeJS.ReadableStream>;
}

/** docker-modem's timeout is an idle timeout: a quiet followed log must not be cut, so no timeout here. */
export function dockerLogSource(dockerHost: string): LogSource {
  return logSourceFor(new Docker({ ...dockerOptions(dockerHost), timeout: undefined }));
}

/** The log source over a given client (finite reads may share the runtime's client and its timeout). */
export function logSourceFor(docker: Docker): LogSource {
  return {
    async inspect(ref) {
      try {
        const raw = ZLogInspect.parse(await docker.getContainer(ref).inspect());
        return { id: raw.Id, name: raw.Name.replace(/^\//, ""), tty: raw.Config.Tty ?? false, running: raw.State.Running ?? false };
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode === 404) return null;
        throw toRuntimeError(err, ref);
      }
    },
    async read(id, opts) {
      const out = await docker.getContainer(id).logs({
        follow: false, stdout: true, stderr: true, timestamps: true, tail: opts.tail === "all" ? undefined : opts.tail,
        ...(opts.since ? { since: opts.since as unknown as number } : {}),
        ...(opts.until ? { until: opts.until as unknown as number } : {}),
      });
      return Buffer.isBuffer(out) ? out : Buffer.from(out as unknown as string);
    },
    async follow(id, opts, signal) {
      const stream = await docker.getContainer(id).logs({
        follow: true, stdout: true, stderr: true, timestamps: true,
        ...(opts.since ? { since: opts.since as unknown as number } : { tail: 0 }),
        abortSignal: signal,
      } as Docker.ContainerLogsOptions & { follow: true });
      return stream;
    },
  };
}

/** RFC3339 (any precision, any offset) or unix seconds → Docker's "seconds.nanoseconds" form. */
export function toDockerTime(value: string): string | null {
  if (/^\d{1,12}(\.\d{1,9})?$/.test(value)) return value;
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(value);
  if (!m) return null;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return null;
  return `${Math.floor(ms / 1000)}.${(m[2] ?? "").padEnd(9, "0")}`;
}
