import { displayText } from "./ansi";
import type { LogStore } from "./log-store";

/**
 * Downloads of what a viewer holds. Plain text is what the reader saw (colours removed, control
 * characters visible); JSON Lines keeps the raw text for tools. Built in chunks so a million lines
 * become a Blob without one giant string.
 */

export type ExportFormat = "text" | "jsonl";

export function exportLine(store: LogStore, i: number, format: ExportFormat, tagged: boolean): string {
  const src = store.sourceAt(i);
  const marker = store.markerAt(i);
  if (format === "jsonl") {
    const base: Record<string, unknown> = { ts: store.tsAt(i) };
    if (tagged && src) Object.assign(base, { hostId: src.hostId, host: src.hostName, containerId: src.containerId, container: src.containerName });
    if (marker) return JSON.stringify({ ...base, marker: marker.marker, ...(marker.count !== undefined ? { count: marker.count } : {}), message: marker.message });
    return JSON.stringify({ ...base, stream: store.streamAt(i), text: store.textAt(i), ...(store.truncatedAt(i) ? { truncated: true } : {}) });
  }
  const tag = tagged && src ? ` ${src.hostName}/${src.containerName}` : "";
  if (marker) return `${store.tsAt(i)}${tag} -- ${displayText(marker.message)}`;
  return `${store.tsAt(i)}${tag} ${store.streamAt(i)} ${displayText(store.textAt(i))}${store.truncatedAt(i) ? " [truncated]" : ""}`;
}

/** `count` lines, the k-th being store index `indexOf(k)`. */
export function exportBlobParts(store: LogStore, count: number, indexOf: (k: number) => number, format: ExportFormat, tagged: boolean): string[] {
  const parts: string[] = [];
  let chunk: string[] = [];
  for (let k = 0; k < count; k++) {
    chunk.push(exportLine(store, indexOf(k), format, tagged));
    if (chunk.length === 10_000) {
      parts.push(chunk.join("\n") + "\n");
      chunk = [];
    }
  }
  if (chunk.length) parts.push(chunk.join("\n") + "\n");
  return parts;
}

export function downloadName(base: string, format: ExportFormat, now = new Date()): string {
  const stamp = now.toISOString().replace(/[:.]/g, "-").slice(0, 19);
  const safe = base.replace(/[^A-Za-z0-9_.-]+/g, "_").slice(0, 80) || "logs";
  return `${safe}-${stamp}.${format === "jsonl" ? "jsonl" : "log"}`;
}

/** Saves a Blob through a temporary link (no server round trip). */
export function saveBlob(parts: BlobPart[], type: string, filename: string): void {
  const url = URL.createObjectURL(new Blob(parts, { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.rel = "noopener";
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
