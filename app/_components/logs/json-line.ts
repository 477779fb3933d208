/**
 * Pretty-printing of JSON log lines, on demand (never while storing: most lines are never looked at).
 * A line may carry a prefix before the object ("INFO {…}"); the JSON part starts at the first brace.
 */

const MAX_PRETTY_CHARS = 256 * 1024;

export type PrettyJson = { prefix: string; json: string };

export function prettyJson(text: string): PrettyJson | null {
  if (text.length > MAX_PRETTY_CHARS) return null;
  const start = text.search(/[{[]/);
  if (start === -1) return null;
  const body = text.slice(start).trimEnd();
  const last = body[body.length - 1];
  if (last !== "}" && last !== "]") return null;
  try {
    const value: unknown = JSON.parse(body);
    if (value === null || typeof value !== "object") return null;
    return { prefix: text.slice(0, start), json: JSON.stringify(value, null, 2) };
  } catch {
    return null;
  }
}

/** Cheap check for a row marker: could this line be JSON? (Confirmed only when opened.) */
export function looksLikeJson(text: string): boolean {
  const start = text.search(/[{[]/);
  if (start === -1 || start > 64) return false;
  const t = text.trimEnd();
  const end = t[t.length - 1];
  return end === "}" || end === "]";
}
