/** A tiny inline trend (SVG, no axes) for table cells; the last value is spelled out beside it. */
export function Sparkline({ values, color, max, width = 64, height = 18, label }: {
  values: readonly number[];
  color: string;
  /** Fixed top of the scale (100 for percentages); otherwise the largest value. */
  max?: number;
  width?: number;
  height?: number;
  label: string;
}) {
  if (values.length < 2) return <svg width={width} height={height} role="img" aria-label={`${label}: no data yet`} />;
  const top = Math.max(max ?? 0, ...values) || 1;
  const step = width / (values.length - 1);
  const pts = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 1 - (Math.max(0, v) / top) * (height - 2)).toFixed(1)}`);
  return (
    <svg width={width} height={height} role="img" aria-label={label} className="overflow-visible">
      <polyline points={`0,${height} ${pts.join(" ")} ${width},${height}`} fill={color} fillOpacity={0.12} stroke="none" />
      <polyline points={pts.join(" ")} fill="none" stroke={color} strokeWidth={1.25} strokeLinejoin="round" />
    </svg>
  );
}
