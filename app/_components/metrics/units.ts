import { bytes } from "../format";

export type Unit = "percent" | "bytes" | "bytesPerSecond" | "count" | "load";

/** A value as people read it: "42.1%", "512 MiB", "3.2 MiB/s", "17". */
export function formatValue(v: number | null | undefined, unit: Unit): string {
  if (v == null || !Number.isFinite(v)) return "—";
  switch (unit) {
    case "percent":
      return `${v >= 10 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toFixed(2)}%`;
    case "bytes":
      return bytes(v);
    case "bytesPerSecond":
      return `${bytes(v)}/s`;
    case "load":
      return v.toFixed(2);
    default:
      return String(Math.round(v));
  }
}

/** Short axis labels ("1.5G", "200M/s" would be ambiguous: keep the binary units). */
export function axisValue(v: number, unit: Unit): string {
  if (unit === "percent") return `${Math.round(v * 10) / 10}%`;
  if (unit === "bytes" || unit === "bytesPerSecond") return v === 0 ? "0" : formatValue(v, unit);
  return unit === "load" ? v.toFixed(1) : String(Math.round(v));
}
