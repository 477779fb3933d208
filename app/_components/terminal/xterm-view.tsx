"use client";

import "@xterm/xterm/css/xterm.css";
import type { FitAddon } from "@xterm/addon-fit";
import type { ITheme, Terminal } from "@xterm/xterm";
import { useEffect, useRef } from "react";

/** What the view needs from a session: where keystrokes and size changes go. */
export type XtermHandle = { write(data: string, rendered: () => void): void; writeNote(text: string): void; focus(): void };

const LIGHT: ITheme = {
  background: "#ffffff", foreground: "#18181b", cursor: "#0369a1", cursorAccent: "#ffffff", selectionBackground: "#bae6fd",
  black: "#18181b", red: "#b91c1c", green: "#15803d", yellow: "#a16207", blue: "#1d4ed8", magenta: "#a21caf", cyan: "#0e7490", white: "#d4d4d8",
  brightBlack: "#52525b", brightRed: "#dc2626", brightGreen: "#16a34a", brightYellow: "#ca8a04", brightBlue: "#2563eb", brightMagenta: "#c026d3", brightCyan: "#0891b2", brightWhite: "#f4f4f5",
};
const DARK: ITheme = {
  background: "#09090b", foreground: "#e4e4e7", cursor: "#38bdf8", cursorAccent: "#09090b", selectionBackground: "#075985",
  black: "#27272a", red: "#f87171", green: "#4ade80", yellow: "#facc15", blue: "#60a5fa", magenta: "#e879f9", cyan: "#22d3ee", white: "#e4e4e7",
  brightBlack: "#71717a", brightRed: "#fca5a5", brightGreen: "#86efac", brightYellow: "#fde047", brightBlue: "#93c5fd", brightMagenta: "#f0abfc", brightCyan: "#67e8f9", brightWhite: "#fafafa",
};
const isDark = () => document.documentElement.classList.contains("dark");

/**
 * xterm.js in a box that it fills: refits (and reports the new size) whenever the box changes, follows
 * the light/dark theme, copies the selection to the clipboard, and pastes with Ctrl+Shift+V.
 * xterm touches `window` when loaded, so it is imported in the browser only.
 */
export function XtermView({ onReady, onData, onResize, label }: {
  onReady(handle: XtermHandle, size: { cols: number; rows: number }): void;
  onData(data: string): void;
  onResize(size: { cols: number; rows: number }): void;
  label: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const callbacks = useRef({ onReady, onData, onResize });
  callbacks.current = { onReady, onData, onResize };

  useEffect(() => {
    let disposed = false;
    let term: Terminal | null = null;
    let fit: FitAddon | null = null;
    const cleanups: (() => void)[] = [];
    void (async () => {
      const [{ Terminal }, { FitAddon }] = await Promise.all([import("@xterm/xterm"), import("@xterm/addon-fit")]);
      if (disposed || !box.current) return;
      term = new Terminal({
        cursorBlink: true,
        fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', monospace",
        fontSize: 13,
        scrollback: 5000,
        theme: isDark() ? DARK : LIGHT,
      });
      fit = new FitAddon();
      term.loadAddon(fit);
      term.open(box.current);
      term.textarea?.setAttribute("aria-label", label);
      fit.fit();
      const t = term;
      const f = fit;

      const copy = () => {
        if (t.hasSelection()) void navigator.clipboard?.writeText(t.getSelection()).catch(() => undefined);
      };
      t.onSelectionChange(copy);
      // Ctrl+Shift+C copies, Ctrl+Shift+V lets the browser paste into xterm (bracketed paste included).
      t.attachCustomKeyEventHandler((e) => {
        if (e.type === "keydown" && e.ctrlKey && e.shiftKey && (e.code === "KeyV" || e.code === "KeyC")) {
          if (e.code === "KeyC") copy();
          return false;
        }
        return true;
      });
      t.onData((d) => callbacks.current.onData(d));
      t.onResize((size) => callbacks.current.onResize(size));

      const observer = new ResizeObserver(() => {
        try {
          f.fit();
        } catch {
          /* not laid out (hidden) */
        }
      });
      observer.observe(box.current);
      cleanups.push(() => observer.disconnect());
      const themeWatch = new MutationObserver(() => (t.options.theme = isDark() ? DARK : LIGHT));
      themeWatch.observe(document.documentElement, { attributes: true, attributeFilter: ["class"] });
      cleanups.push(() => themeWatch.disconnect());

      callbacks.current.onReady(
        {
          write: (data, rendered) => t.write(data, rendered),
          writeNote: (text) => t.write(`\r\n\x1b[2m${text.replace(/\n/g, "\r\n")}\x1b[0m\r\n`),
          focus: () => t.focus(),
        },
        { cols: t.cols, rows: t.rows },
      );
    })();
    return () => {
      disposed = true;
      cleanups.forEach((c) => c());
      term?.dispose();
    };
  }, [label]);

  return <div ref={box} data-testid="terminal-screen" className="h-full w-full overflow-hidden" />;
}
