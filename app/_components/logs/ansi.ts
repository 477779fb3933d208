/**
 * ANSI text → styled segments, safely. Only SGR colour/style sequences (ESC [ … m) are interpreted;
 * every other escape sequence and control character is kept as visible text in caret notation, as
 * `cat -v` shows it (ESC → "^[", BEL → "^G", CR → "^M"; C1 and bidi overrides → "\u009b", "\u202e"),
 * so a log line can never clear, retitle or re-order anything on the page. Plain ASCII renders in every
 * font (Control Pictures like ␛ do not); such segments are flagged `ctrl` and drawn distinctly.
 * Segments become React text nodes, never HTML.
 */

export type Colour = number | `rgb(${number},${number},${number})`;
export type AnsiStyle = {
  fg?: Colour;
  bg?: Colour;
  bold?: true;
  dim?: true;
  italic?: true;
  underline?: true;
  inverse?: true;
  strike?: true;
  /** A control character shown as text (not something the line printed). */
  ctrl?: true;
};
export type Segment = { text: string; style: AnsiStyle };

// eslint-disable-next-line no-control-regex
const NEEDS_WORK = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex
const SGR = /\u001b\[([0-9;:]*)m/g;
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** One control character as something you can see: C0 → ^@ … ^_ , DEL → ^?, the rest → \uXXXX. */
function visibleChar(ch: string): string {
  const c = ch.charCodeAt(0);
  if (c < 0x20) return `^${String.fromCharCode(c + 64)}`;
  if (c === 0x7f) return "^?";
  return `\\u${c.toString(16).padStart(4, "0")}`;
}

/** Control characters made visible (tabs kept). */
export function visibleControls(text: string): string {
  return NEEDS_WORK.test(text) ? text.replace(UNSAFE, visibleChar) : text;
}

/** The text a reader sees: SGR sequences removed, everything else visible. What search and level detection look at. */
export function displayText(raw: string): string {
  if (!NEEDS_WORK.test(raw)) return raw;
  return visibleControls(raw.replace(SGR, ""));
}

/** Raw text with SGR colour codes removed but other bytes untouched (plain-text downloads). */
export function stripSgr(raw: string): string {
  return raw.indexOf("\u001b") === -1 ? raw : raw.replace(SGR, "");
}

const clampByte = (n: number | undefined) => Math.max(0, Math.min(255, Math.trunc(n ?? 0)));

/** Applies one SGR parameter list to a style (mutates a copy the caller owns). */
function applySgr(style: AnsiStyle, params: string): AnsiStyle {
  const codes = params === "" ? [0] : params.split(/[;:]/).map((p) => (p === "" ? 0 : Number(p)));
  let s: AnsiStyle = { ...style };
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (c === 0) s = {};
    else if (c === 1) s.bold = true;
    else if (c === 2) s.dim = true;
    else if (c === 3) s.italic = true;
    else if (c === 4) s.underline = true;
    else if (c === 7) s.inverse = true;
    else if (c === 9) s.strike = true;
    else if (c === 22) (delete s.bold, delete s.dim);
    else if (c === 23) delete s.italic;
    else if (c === 24) delete s.underline;
    else if (c === 27) delete s.inverse;
    else if (c === 29) delete s.strike;
    else if (c >= 30 && c <= 37) s.fg = c - 30;
    else if (c >= 90 && c <= 97) s.fg = c - 90 + 8;
    else if (c >= 40 && c <= 47) s.bg = c - 40;
    else if (c >= 100 && c <= 107) s.bg = c - 100 + 8;
    else if (c === 39) delete s.fg;
    else if (c === 49) delete s.bg;
    else if (c === 38 || c === 48) {
      const key = c === 38 ? "fg" : "bg";
      if (codes[i + 1] === 5) {
        s[key] = clampByte(codes[i + 2]);
        i += 2;
      } else if (codes[i + 1] === 2) {
        s[key] = `rgb(${clampByte(codes[i + 2])},${clampByte(codes[i + 3])},${clampByte(codes[i + 4])})`;
        i += 4;
      } else break; // malformed: ignore the rest rather than guess
    }
  }
  return s;
}

/** Splits raw text into styled segments whose texts, joined, equal displayText(raw). */
export function parseAnsi(raw: string): Segment[] {
  if (!NEEDS_WORK.test(raw)) return raw ? [{ text: raw, style: {} }] : [];
  const out: Segment[] = [];
  let style: AnsiStyle = {};
  let last = 0;
  let ctrlStyle: AnsiStyle = { ctrl: true };
  const add = (text: string, st: AnsiStyle) => {
    const prev = out[out.length - 1];
    if (prev && prev.style === st) prev.text += text;
    else out.push({ text, style: st });
  };
  const push = (chunk: string) => {
    let at = 0;
    for (const m of chunk.matchAll(UNSAFE)) {
      if (m.index > at) add(chunk.slice(at, m.index), style);
      add(visibleChar(m[0]), ctrlStyle);
      at = m.index + 1;
    }
    if (at < chunk.length) add(chunk.slice(at), style);
  };
  for (const m of raw.matchAll(SGR)) {
    push(raw.slice(last, m.index));
    style = applySgr(style, m[1]!);
    ctrlStyle = { ...style, ctrl: true };
    last = m.index + m[0].length;
  }
  push(raw.slice(last));
  return out;
}

/** The xterm 256-colour palette entry for indexes 16–255 (0–15 are themed by CSS classes). */
export function xterm256(n: number): string {
  if (n >= 232) {
    const v = 8 + (n - 232) * 10;
    return `rgb(${v},${v},${v})`;
  }
  const i = n - 16;
  const level = (x: number) => (x === 0 ? 0 : 55 + x * 40);
  return `rgb(${level(Math.floor(i / 36))},${level(Math.floor(i / 6) % 6)},${level(i % 6)})`;
}
