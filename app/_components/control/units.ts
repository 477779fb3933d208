/** Human units as the docker CLI takes them: "512m", "1.5g", "100k", "1048576" (bytes; 1024-based). */
export function parseBytes(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([bkmgt]?)(?:i?b)?\s*$/i.exec(text);
  if (!m) return null;
  const power = { "": 0, b: 0, k: 1, m: 2, g: 3, t: 4 }[m[2]!.toLowerCase() as "" | "b" | "k" | "m" | "g" | "t"];
  return Math.round(Number(m[1]) * 1024 ** power);
}

/** The shortest exact docker-style text for a byte count ("512m", "1g", "1536k"). */
export function formatBytesShort(n: number): string {
  for (const [unit, size] of [["t", 1024 ** 4], ["g", 1024 ** 3], ["m", 1024 ** 2], ["k", 1024]] as const) {
    if (n >= size && n % size === 0) return `${n / size}${unit}`;
  }
  return String(n);
}

/** "1.5" CPUs → Docker's NanoCpus. */
export function parseCpus(text: string): number | null {
  if (!/^\s*\d+(?:\.\d+)?\s*$/.test(text)) return null;
  return Math.round(Number(text) * 1e9);
}

/**
 * A command line split like a shell would (single and double quotes, backslash escapes), or a JSON
 * array when it starts with "[". Returns null when a quote is left open.
 */
export function splitCommand(text: string): string[] | null {
  const t = text.trim();
  if (!t) return [];
  if (t.startsWith("[")) {
    try {
      const v: unknown = JSON.parse(t);
      if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v as string[];
    } catch {
      /* not JSON: split as words */
    }
  }
  const out: string[] = [];
  let cur = "";
  let has = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < t.length; i++) {
    const ch = t[i]!;
    if (quote) {
      if (ch === quote) quote = null;
      else if (ch === "\\" && quote === '"' && i + 1 < t.length) cur += t[++i];
      else cur += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      has = true;
    } else if (ch === "\\" && i + 1 < t.length) {
      cur += t[++i];
      has = true;
    } else if (/\s/.test(ch)) {
      if (has || cur) out.push(cur);
      cur = "";
      has = false;
    } else cur += ch;
  }
  if (quote) return null;
  if (has || cur) out.push(cur);
  return out;
}

/** The inverse of splitCommand for display: words quoted only when they need it. */
export function joinCommand(words: string[]): string {
  return words.map((w) => (w === "" ? "''" : /[\s'"\\$`]/.test(w) ? `'${w.replace(/'/g, `'\\''`)}'` : w)).join(" ");
}
