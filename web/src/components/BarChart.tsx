/** A small SVG column chart: one bar per value, labels under them, laid out in the reading direction
 * (the first value at the start: the left in English, the right in Arabic). */
export interface Bar {
  key: string;
  label: string;
  value: number;
  /** What a screen reader and a hover tell about the bar. */
  description: string;
}

export function BarChart({ bars, label, rtl }: { bars: Bar[]; label: string; rtl: boolean }) {
  const width = 320;
  const height = 160;
  const bottom = 20;
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const slot = width / Math.max(1, bars.length);
  const barWidth = Math.max(4, slot * 0.6);
  const labelEvery = bars.length > 6 ? 2 : 1; // month names (Arabic ones are long) need room: every other one
  return (
    <svg className="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
      {bars.map((bar, index) => {
        const position = rtl ? bars.length - 1 - index : index;
        const barHeight = ((height - bottom - 4) * bar.value) / max;
        const x = position * slot + (slot - barWidth) / 2;
        return (
          <g key={bar.key}>
            <rect className="bar" x={x} y={height - bottom - barHeight} width={barWidth} height={barHeight} rx={2}>
              <title>{bar.description}</title>
            </rect>
            {(bars.length - 1 - index) % labelEvery === 0 && ( // the latest always
              <text x={x + barWidth / 2} y={height - 6} textAnchor="middle">
                {bar.label}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}
