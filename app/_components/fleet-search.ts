import type { FleetContainer } from "./trpc";

// What a search looks in (name, image, `key=value` labels), lowercased once per container object: a
// live update replaces only the changed hosts' containers, so at 40,000 containers a re-filter is
// a lookup and an includes() each, not a dozen new strings each. "\0" never occurs in a needle.
const searchTexts = new WeakMap<FleetContainer, string>();
function searchText(c: FleetContainer): string {
  let text = searchTexts.get(c);
  if (text === undefined) {
    text = [c.name, c.image, ...Object.entries(c.labels).map(([k, v]) => `${k}=${v}`)].join("\0").toLowerCase();
    searchTexts.set(c, text);
  }
  return text;
}

/** Whether a container matches a lowercased search: its id starts with it, or its name, image or a `key=value` label contains it. */
export function matchesSearch(c: FleetContainer, needle: string): boolean {
  return !needle || c.id.startsWith(needle) || searchText(c).includes(needle);
}
