import type { Duplex } from "node:stream";
import type Docker from "dockerode";
import type { ErrorBody, TerminalOpenEnvelope } from "../../protocol";
import { DEFAULT_TERMINAL_COMMAND } from "../../protocol/terminal";
import { endProcessSession } from "./end-process-session";

/** A running terminal process as Docker gives it: one raw TTY stream both ways. */
export type TerminalProcess = {
  stream: Duplex;
  /** The argv started (exec), null for attach. */
  cmd: string[] | null;
  resize(cols: number, rows: number): Promise<void>;
  /** Ends the session: kills an exec'd process and its jobs; for attach, only detaches. */
  end(): Promise<void>;
  /** Exit code once the process is gone (null while it runs or when unknown). */
  exitCode(): Promise<number | null>;
};

export type DockerClients = {
  /** For short calls (create, inspect, resize): has a timeout. */
  api: Docker;
  /** For the hijacked streams: docker-modem's timeout is an idle timeout and would cut a quiet shell. */
  streams: Docker;
};

export class TerminalOpenError extends Error {
  constructor(readonly body: ErrorBody) {
    super(body.message);
  }
}

const EXIT_POLL_MS = 50;
const EXIT_WAIT_MS = 2_000;

export function openTerminalProcess(docker: DockerClients, open: TerminalOpenEnvelope): Promise<TerminalProcess> {
  return (open.mode === "exec" ? openExec(docker, open) : openAttach(docker, open)).catch((err: unknown) => {
    throw err instanceof TerminalOpenError ? err : new TerminalOpenError(dockerError(err));
  });
}

async function openExec(docker: DockerClients, open: TerminalOpenEnvelope): Promise<TerminalProcess> {
  const cmd = open.cmd ?? DEFAULT_TERMINAL_COMMAND;
  const exec = await docker.api.getContainer(open.containerId).exec({
    Cmd: cmd,
    User: open.user ?? undefined,
    Tty: true,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    // No COLUMNS/LINES: busybox lets them override the TTY size, so a later resize would not show.
    Env: ["TERM=xterm-256color"],
  });
  const stream = await docker.streams.getExec(exec.id).start({ hijack: true, stdin: true, Tty: true });
  const resize = async (cols: number, rows: number) => void (await exec.resize({ w: cols, h: rows }));
  // The process may not have its TTY yet right after start: one retry covers that window.
  await resize(open.cols, open.rows).catch(() => new Promise((r) => setTimeout(r, 100)).then(() => resize(open.cols, open.rows)).catch(() => undefined));
  return {
    stream,
    cmd,
    resize,
    async end() {
      const info = await exec.inspect().catch(() => null);
      if (info?.Running && info.Pid) await endProcessSession(info.Pid);
      stream.destroy();
      // The kill needs host PIDs: an agent outside the host's PID namespace cannot end the process.
      if (info?.Running && (await stillRunning(exec))) throw new Error(`exec process ${info.Pid} is still running (does the agent see host PIDs?)`);
    },
    async exitCode() {
      const deadline = Date.now() + EXIT_WAIT_MS;
      for (;;) {
        const info = await exec.inspect().catch(() => null);
        if (!info) return null;
        if (!info.Running) return info.ExitCode;
        if (Date.now() > deadline) return null;
        await new Promise((r) => setTimeout(r, EXIT_POLL_MS));
      }
    },
  };
}

/** Docker learns of an exit a moment after the kernel: give it that moment. */
async function stillRunning(exec: Docker.Exec): Promise<boolean> {
  const deadline = Date.now() + EXIT_WAIT_MS;
  for (;;) {
    const info = await exec.inspect().catch(() => null);
    if (!info?.Running) return false;
    if (Date.now() > deadline) return true;
    await new Promise((r) => setTimeout(r, EXIT_POLL_MS));
  }
}

async function openAttach(docker: DockerClients, open: TerminalOpenEnvelope): Promise<TerminalProcess> {
  const container = docker.api.getContainer(open.containerId);
  const info = await container.inspect();
  if (!info.State.Running) throw new TerminalOpenError({ code: "CONFLICT", message: "the container is not running" });
  if (!info.Config.Tty) {
    throw new TerminalOpenError({
      code: "NO_TTY",
      message: "this container's main process has no TTY (it was not started with -t), so a terminal cannot attach to it; use exec, or read its output in the logs",
    });
  }
  // Attaching to a TTY container never closes its stdin when we go, so detaching leaves it running.
  const stream = (await docker.streams.getContainer(info.Id).attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true })) as Duplex;
  const resize = async (cols: number, rows: number) => void (await container.resize({ w: cols, h: rows }));
  await resize(open.cols, open.rows).catch(() => undefined);
  return {
    stream,
    cmd: null,
    resize,
    async end() {
      stream.destroy();
    },
    async exitCode() {
      const state = await container.inspect().then((i) => i.State, () => null);
      return state && !state.Running ? state.ExitCode : null;
    },
  };
}

/** Docker's own words for why an exec or attach failed, under a code the browser can show. */
export function dockerError(err: unknown): ErrorBody {
  const e = err as { statusCode?: number; json?: { message?: unknown }; message?: string };
  const said = typeof e.json?.message === "string" ? e.json.message : (e.message ?? "Docker refused");
  const message = said.slice(0, 500);
  if (e.statusCode === 404) return { code: "NOT_FOUND", message: `no such container: ${message}` };
  if (e.statusCode === 409) return { code: "CONFLICT", message };
  return { code: "DOCKER_ERROR", message };
}
