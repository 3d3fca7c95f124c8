// The 30-day trend of Today: present, late and absent per school day, drawn by uPlot (small, fast, canvas).

import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { day } from '../format';
import { t } from '../strings';

export interface TrendPoint {
  date: string;
  present: number;
  late: number;
  absent: number;
}

const SERIES: { key: 'present' | 'late' | 'absent'; color: string }[] = [
  { key: 'present', color: '#15803d' },
  { key: 'late', color: '#b45309' },
  { key: 'absent', color: '#b91c1c' },
];

export function TrendChart(props: { points: TrendPoint[] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el || props.points.length === 0) return;
    const xs = props.points.map((_, i) => i);
    const data: uPlot.AlignedData = [xs, ...SERIES.map((s) => props.points.map((p) => p[s.key]))];
    const plot = new uPlot(
      {
        width: Math.max(280, el.clientWidth),
        height: 220,
        scales: { x: { time: false } },
        axes: [
          {
            values: (_u, splits) => splits.map((i) => (props.points[i] ? day(props.points[i].date, 'short') : '')),
          },
          {},
        ],
        series: [
          { label: t.common.date, value: (_u, i) => (i == null || !props.points[i] ? '' : day(props.points[i].date)) },
          ...SERIES.map((s) => ({ label: t.status[s.key], stroke: s.color, width: 2, points: { show: true } })),
        ],
      },
      data,
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(280, el.clientWidth), height: 220 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [props.points]);
  return <div class="chart" ref={box} role="img" aria-label={t.today.trendLabel} />;
}
