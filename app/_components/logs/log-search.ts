/**
 * What the search box means: a substring or a regular expression, case-sensitive or not, matched
 * against the text a reader sees (colour codes removed). Highlighting asks for the match ranges of
 * one visible row only.
 */

export type SearchQuery = { text: string; regex: boolean; caseSensitive: boolean };
export type Matcher = {
  test: (text: string) => boolean;
  /** [start, end) ranges of every non-empty match, in order. */
  ranges: (text: string) => [number, number][];
};
export type CompiledSearch = { matcher: Matcher | null; error: string | null };

const MAX_RANGES = 1000;

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function compileSearch(q: SearchQuery): CompiledSearch {
  if (!q.text) return { matcher: null, error: null };
  let source = q.regex ? q.text : escapeRegex(q.text);
  let re: RegExp;
  try {
    re = new RegExp(source, q.caseSensitive ? "g" : "gi");
  } catch (e) {
    return { matcher: null, error: e instanceof Error ? e.message.replace(/^Invalid regular expression: /, "") : "invalid regular expression" };
  }
  const tester = new RegExp(source, q.caseSensitive ? "" : "i");
  source = "";
  // A substring search that ignores case is much faster as indexOf on lower-cased text than a regex.
  const needle = !q.regex && !q.caseSensitive ? q.text.toLowerCase() : null;
  const test = needle !== null ? (t: string) => t.toLowerCase().includes(needle) : !q.regex ? (t: string) => t.includes(q.text) : (t: string) => tester.test(t);
  const ranges = (text: string) => {
    const out: [number, number][] = [];
    re.lastIndex = 0;
    for (let m = re.exec(text); m && out.length < MAX_RANGES; m = re.exec(text)) {
      if (m[0].length === 0) {
        re.lastIndex++; // an empty match (e.g. /a*/) would loop forever; nothing to highlight
        continue;
      }
      out.push([m.index, m.index + m[0].length]);
    }
    return out;
  };
  return { matcher: { test, ranges }, error: null };
}
