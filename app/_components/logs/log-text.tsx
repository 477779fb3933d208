"use client";

import type { CSSProperties, ReactNode } from "react";
import { parseAnsi, xterm256, type AnsiStyle, type Colour, type Segment } from "./ansi";

/**
 * A log text rendered from ANSI segments as React text nodes (never HTML), with search matches
 * wrapped in <mark>. The 16 basic colours follow the theme; 256-colour and true-colour codes become
 * inline rgb() values built from numbers only.
 */

const BASIC_FG = [
  "text-zinc-900 dark:text-zinc-300", "text-red-700 dark:text-red-400", "text-green-700 dark:text-green-400", "text-yellow-700 dark:text-yellow-300",
  "text-blue-700 dark:text-blue-400", "text-fuchsia-700 dark:text-fuchsia-400", "text-cyan-700 dark:text-cyan-400", "text-zinc-500 dark:text-zinc-200",
  "text-zinc-500 dark:text-zinc-500", "text-red-600 dark:text-red-300", "text-green-600 dark:text-green-300", "text-yellow-600 dark:text-yellow-200",
  "text-blue-600 dark:text-blue-300", "text-fuchsia-600 dark:text-fuchsia-300", "text-cyan-600 dark:text-cyan-300", "text-zinc-400 dark:text-white",
];
const BASIC_BG = [
  "bg-zinc-900 text-zinc-100", "bg-red-200 dark:bg-red-900", "bg-green-200 dark:bg-green-900", "bg-yellow-200 dark:bg-yellow-900",
  "bg-blue-200 dark:bg-blue-900", "bg-fuchsia-200 dark:bg-fuchsia-900", "bg-cyan-200 dark:bg-cyan-900", "bg-zinc-200 dark:bg-zinc-600",
  "bg-zinc-400 dark:bg-zinc-700", "bg-red-300 dark:bg-red-800", "bg-green-300 dark:bg-green-800", "bg-yellow-300 dark:bg-yellow-800",
  "bg-blue-300 dark:bg-blue-800", "bg-fuchsia-300 dark:bg-fuchsia-800", "bg-cyan-300 dark:bg-cyan-800", "bg-white text-zinc-900",
];

function colourCss(c: Colour): string {
  return typeof c === "string" ? c : xterm256(c);
}

function styleProps(s: AnsiStyle): { className?: string; style?: CSSProperties } {
  const fg = s.inverse ? s.bg : s.fg;
  const bg = s.inverse ? (s.fg ?? 0) : s.bg;
  const classes: string[] = [];
  const style: CSSProperties = {};
  if (typeof fg === "number" && fg < 16) classes.push(BASIC_FG[fg]!);
  else if (fg !== undefined) style.color = colourCss(fg);
  if (typeof bg === "number" && bg < 16) classes.push(BASIC_BG[bg]!);
  else if (bg !== undefined) style.backgroundColor = colourCss(bg);
  if (s.bold) classes.push("font-bold");
  if (s.dim) classes.push("opacity-60");
  if (s.italic) classes.push("italic");
  if (s.underline) classes.push("underline");
  if (s.strike) classes.push("line-through");
  if (s.ctrl) classes.push("rounded-sm bg-zinc-200 px-px text-zinc-600 dark:bg-zinc-700 dark:text-zinc-300");
  return { className: classes.length ? classes.join(" ") : undefined, style: Object.keys(style).length ? style : undefined };
}

/** Segments cut to `limit` characters; returns the cut segments and how many characters were left out. */
export function limitSegments(segments: Segment[], limit: number): { segments: Segment[]; omitted: number } {
  let used = 0;
  const out: Segment[] = [];
  let omitted = 0;
  for (const seg of segments) {
    if (used >= limit) {
      omitted += seg.text.length;
      continue;
    }
    const room = limit - used;
    if (seg.text.length > room) {
      out.push({ text: seg.text.slice(0, room), style: seg.style });
      omitted += seg.text.length - room;
      used = limit;
    } else {
      out.push(seg);
      used += seg.text.length;
    }
  }
  return { segments: out, omitted };
}

export function AnsiText({ segments, ranges, current = false }: { segments: Segment[]; ranges: [number, number][] | null; current?: boolean }) {
  const nodes: ReactNode[] = [];
  let pos = 0;
  let r = 0;
  segments.forEach((seg, si) => {
    const props = styleProps(seg.style);
    const end = pos + seg.text.length;
    if (!ranges || r >= ranges.length || ranges[r]![0] >= end) {
      nodes.push(props.className || props.style ? <span key={si} {...props}>{seg.text}</span> : seg.text);
      pos = end;
      return;
    }
    const parts: ReactNode[] = [];
    let at = pos;
    while (at < end) {
      const range = ranges[r];
      if (!range || range[0] >= end) {
        parts.push(seg.text.slice(at - pos));
        at = end;
        break;
      }
      if (range[0] > at) {
        parts.push(seg.text.slice(at - pos, range[0] - pos));
        at = range[0];
      }
      const stop = Math.min(range[1], end);
      parts.push(
        <mark key={`m${at}`} className={current ? "rounded-sm bg-orange-400 text-zinc-950 ring-1 ring-orange-600" : "rounded-sm bg-yellow-300 text-zinc-950 dark:bg-yellow-400/80"}>
          {seg.text.slice(at - pos, stop - pos)}
        </mark>,
      );
      at = stop;
      if (range[1] <= end) r++;
    }
    nodes.push(<span key={si} {...props}>{parts}</span>);
    pos = end;
  });
  return <>{nodes}</>;
}

/** Raw text → segments, for callers that do not keep them. */
export function segmentsOf(raw: string, rawLimit: number): Segment[] {
  return parseAnsi(raw.length > rawLimit ? raw.slice(0, rawLimit) : raw);
}
