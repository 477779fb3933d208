"use client";

import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { DEFAULT_TERMINAL_COMMAND, type TerminalMode } from "../../../agents/protocol/terminal";
import { compactInputClass } from "../control/form-parts";
import { useLiveSocket } from "../live";
import { buttonClass, cx, hintClass, labelClass } from "../ui";
import { useCan } from "../user";
import { splitCommandLine } from "./command-line";
import { TerminalLink, type OpenRequest } from "./terminal-link";
import { XtermView, type XtermHandle } from "./xterm-view";

type Status =
  | { kind: "idle" }
  | { kind: "connecting" }
  | { kind: "open"; what: string }
  | { kind: "ended"; reason: string; code: number | null }
  | { kind: "failed"; message: string };
type Choice = Pick<OpenRequest, "mode" | "cmd" | "user">;

/**
 * The Terminal tab of a container: exec a command (a shell by default) or attach to the main process,
 * in xterm.js. Only for callers with container:exec on the host (the server checks every message).
 * Leaving the tab or closing the page ends the session, and with it the exec'd process.
 */
export function ContainerTerminal({ hostId, containerId, running }: { hostId: string; containerId: string; running: boolean }) {
  const can = useCan();
  const socket = useLiveSocket();
  const [mode, setMode] = useState<TerminalMode>("exec");
  const [command, setCommand] = useState("");
  const [user, setUser] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [status, setStatus] = useState<Status>({ kind: "idle" });
  const [size, setSize] = useState<{ cols: number; rows: number } | null>(null);
  const link = useRef<TerminalLink | null>(null);
  const choice = useRef<Choice | null>(null);
  const screenRef = useRef<XtermHandle | null>(null);

  useEffect(() => () => link.current?.close(), []);

  const start = (e: FormEvent) => {
    e.preventDefault();
    const cmd = mode === "exec" && command.trim() ? splitCommandLine(command.trim()) : undefined;
    if (cmd === null) return setError("Close the quote in the command.");
    setError(null);
    link.current?.close();
    link.current = null;
    choice.current = { mode, cmd, user: mode === "exec" && user.trim() ? user.trim() : undefined };
    setStatus({ kind: "connecting" });
    setAttempt((a) => a + 1);
  };

  const onReady = useCallback(
    async (screen: XtermHandle, initial: { cols: number; rows: number }) => {
      if (!socket || !choice.current) return;
      setSize(initial);
      screenRef.current = screen;
      const session = new TerminalLink(socket, {
        output: (data, rendered) => screen.write(data, rendered),
        exit: (end) => {
          setStatus({ kind: "ended", ...end });
          screen.writeNote(`[session ended: ${end.reason}]`);
        },
      });
      link.current = session;
      const reply = await session.open({ hostId, containerId, ...choice.current, ...initial });
      if (link.current !== session) return session.close(); // replaced while opening
      if (!reply.ok) {
        session.dispose();
        link.current = null;
        setStatus({ kind: "failed", message: reply.error.message });
        screen.writeNote(`[could not open: ${reply.error.message}]`);
        return;
      }
      const { mode: m, user: u } = choice.current;
      const started = reply.data.cmd ?? [];
      const isDefault = started.join("\0") === DEFAULT_TERMINAL_COMMAND.join("\0");
      const what = m === "attach" ? "attached to the main process" : `${isDefault ? "default shell" : started.join(" ")}${u ? ` as ${u}` : ""}`;
      setStatus({ kind: "open", what });
      screen.focus();
    },
    [socket, hostId, containerId],
  );

  const close = () => {
    link.current?.close();
    link.current = null;
    screenRef.current?.writeNote("[session ended: closed by you]");
    setStatus({ kind: "ended", reason: "closed by you", code: null });
  };

  if (!can("container:exec", hostId)) return <p className="text-zinc-600 dark:text-zinc-400">Your role cannot open terminals on this host (container:exec).</p>;
  const busy = status.kind === "connecting" || status.kind === "open";
  return (
    <div className="space-y-2">
      <form onSubmit={start} className="flex flex-wrap items-end gap-3" aria-label="Open a terminal">
        <div>
          <label htmlFor="terminal-mode" className={labelClass}>
            Mode
          </label>
          <select id="terminal-mode" className={cx(compactInputClass, "w-52")} value={mode} onChange={(e) => setMode(e.target.value as TerminalMode)} disabled={busy}>
            <option value="exec">Exec a command</option>
            <option value="attach">Attach to the main process</option>
          </select>
        </div>
        <ExecField id="terminal-command" label="Command" widthClass="min-w-56 flex-1" value={command} onChange={setCommand} execOnly={mode !== "exec"} disabled={busy}
          placeholder={mode === "exec" ? "default: bash, else sh" : "the container's own process"} />
        <ExecField id="terminal-user" label="User" widthClass="w-44" value={user} onChange={setUser} execOnly={mode !== "exec"} disabled={busy}
          placeholder={mode === "exec" ? "image default" : "—"} />
        {/* Separate keys: reusing one <button> would let the click that closes also submit the form (reopen). */}
        {busy ? (
          <button key="close" type="button" className={buttonClass.secondary} onClick={close}>
            Close session
          </button>
        ) : (
          <button key="open" type="submit" className={buttonClass.primary} disabled={!socket || !running}>
            {attempt ? "Open again" : "Open terminal"}
          </button>
        )}
      </form>
      {error && <p className="text-xs text-red-700 dark:text-red-400">{error}</p>}
      <StatusLine status={status} size={size} running={running} live={socket !== null} />
      {attempt > 0 && (
        <div className="h-[calc(100vh-20rem)] min-h-72 rounded-md border border-zinc-200 bg-white p-2 dark:border-zinc-800 dark:bg-zinc-950">
          <XtermView
            key={attempt}
            label="Terminal input"
            onReady={(screen, initial) => void onReady(screen, initial)}
            onData={(data) => link.current?.input(data)}
            onResize={(next) => {
              setSize(next);
              link.current?.resize(next.cols, next.rows);
            }}
          />
        </div>
      )}
      <p className={hintClass}>Copy: select text (or Ctrl+Shift+C). Paste: Ctrl+Shift+V. Leaving this tab ends the session and its process.</p>
    </div>
  );
}

function StatusLine({ status, size, running, live }: { status: Status; size: { cols: number; rows: number } | null; running: boolean; live: boolean }) {
  const dims = size ? `${size.cols}×${size.rows}` : "";
  const [tone, text] =
    status.kind === "open" ? (["ok", `Open · ${status.what} · ${dims}`] as const)
    : status.kind === "connecting" ? (["busy", "Connecting…"] as const)
    : status.kind === "ended" ? (["off", `Ended: ${status.reason}${status.code !== null ? ` (exit code ${status.code})` : ""}`] as const)
    : status.kind === "failed" ? (["bad", `Could not open: ${status.message}`] as const)
    : !running ? (["off", "The container is not running: a terminal needs it running."] as const)
    : !live ? (["busy", "Waiting for the live connection…"] as const)
    : (["off", "Not connected. Choose what to run and open a terminal."] as const);
  return (
    <p
      role="status"
      aria-label="Terminal status"
      data-state={status.kind}
      className={cx(
        "flex items-center gap-2 text-xs",
        tone === "ok" && "text-emerald-700 dark:text-emerald-300",
        tone === "busy" && "text-zinc-600 dark:text-zinc-400",
        tone === "off" && "text-zinc-600 dark:text-zinc-400",
        tone === "bad" && "text-red-700 dark:text-red-400",
      )}
    >
      <span aria-hidden="true" className={cx("inline-block size-2 rounded-full", tone === "ok" ? "bg-emerald-500" : tone === "bad" ? "bg-red-500" : tone === "busy" ? "animate-pulse bg-zinc-400" : "bg-zinc-400")} />
      <span className="font-mono">{text}</span>
    </p>
  );
}

/** A text field that only applies to exec (attach runs the container's own process as its own user). */
function ExecField({ id, label, widthClass, value, onChange, execOnly, disabled, placeholder }: {
  id: string;
  label: string;
  widthClass: string;
  value: string;
  onChange: (value: string) => void;
  /** True in attach mode: the field is cleared and disabled. */
  execOnly: boolean;
  disabled: boolean;
  placeholder: string;
}) {
  return (
    <div className={widthClass}>
      <label htmlFor={id} className={labelClass}>
        {label}
      </label>
      <input
        id={id}
        className={cx(compactInputClass, "font-mono")}
        placeholder={placeholder}
        value={execOnly ? "" : value}
        onChange={(e) => onChange(e.target.value)}
        disabled={disabled || execOnly}
        spellCheck={false}
        autoComplete="off"
      />
    </div>
  );
}
