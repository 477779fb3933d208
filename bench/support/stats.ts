export type Summary = { n: number; p50: number; p95: number; max: number; mean: number };

/** Nearest-rank percentiles (no interpolation: every reported number is one that was measured). */
export function summarize(samples: number[]): Summary {
  if (samples.length === 0) return { n: 0, p50: NaN, p95: NaN, max: NaN, mean: NaN };
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  const round = (x: number) => Math.round(x * 10) / 10;
  return { n: sorted.length, p50: round(rank(50)), p95: round(rank(95)), max: round(sorted.at(-1)!), mean: round(sorted.reduce((s, x) => s + x, 0) / sorted.length) };
}

/** A plain-text table, columns padded to their widest cell; numbers right-aligned. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map((c) => (typeof c === "number" ? c.toFixed(1) : c)))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i]?.length ?? 0)));
  const line = (r: string[], raw: (string | number)[] | null) =>
    r.map((c, i) => (raw && typeof raw[i] === "number" ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd();
  return [line(cells[0]!, null), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map((r, i) => line(r, rows[i]!))].join("\n");
}
