import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  color: string;
  /** Bars (daily figures); otherwise a line. */
  bars?: boolean;
  /** A dashed line (a limit). */
  dashed?: boolean;
}

/**
 * A uPlot chart sized to its container (it follows resizes, down to a 360 px phone). The figure
 * carries a text summary for screen readers; each chart on a page also has its numbers in a table.
 */
export function Chart({ title, summary, x, series, yLabel }: { title: string; summary: string; x: number[]; series: ChartSeries[]; yLabel: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const bars = uPlot.paths.bars?.({ size: [0.6, 40] });
    const plot = new uPlot(
      {
        width: el.clientWidth || 320,
        height: 240,
        legend: { show: true },
        // One tick a day at most, labelled by date: the data are daily totals.
        axes: [
          { incrs: [86_400, 7 * 86_400], values: (_u, ticks) => ticks.map((t) => new Date(t * 1000).toISOString().slice(5, 10)) },
          { label: yLabel, size: 60 },
        ],
        series: [
          {},
          ...series.map((s) => ({
            label: s.label,
            stroke: s.color,
            width: 2,
            fill: s.bars ? `${s.color}55` : undefined,
            dash: s.dashed ? [6, 4] : undefined,
            paths: s.bars ? bars : undefined,
          })),
        ],
        scales: { x: { time: true } },
      },
      [x, ...series.map((s) => s.values)] as uPlot.AlignedData,
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: el.clientWidth || 320, height: 240 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [x, series, yLabel]);
  return (
    <figure class="chart" aria-label={title}>
      <figcaption>{title}</figcaption>
      <div ref={host} role="img" aria-label={summary} />
    </figure>
  );
}
