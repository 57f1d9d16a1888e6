import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  color: string;
  /** A dashed line (a limit) instead of bars. */
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
        axes: [{}, { label: yLabel, size: 60 }],
        series: [
          {},
          ...series.map((s) => ({ label: s.label, stroke: s.color, fill: s.dashed ? undefined : `${s.color}55`, dash: s.dashed ? [6, 4] : undefined, paths: s.dashed ? undefined : bars })),
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
