import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, GridComponent, TooltipComponent, SVGRenderer]);

interface StateChartProps {
  /** Describes the whole chart for screen readers; the same numbers are in a table next to it. */
  label: string;
  bars: { name: string; value: number }[];
}

/** Bar chart of entries per state. Loaded on demand: ECharts is large and only staff open the dashboard. */
export function StateChart({ label, bars }: StateChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const chart = echarts.init(element, undefined, { renderer: 'svg' });
    chart.setOption({
      // The wrapper's role="img" and label describe the chart; ECharts' own description would repeat it.
      aria: { enabled: false },
      animation: !window.matchMedia?.('(prefers-reduced-motion: reduce)').matches,
      grid: { left: 40, right: 16, top: 24, bottom: 32 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: bars.map((b) => b.name), axisLabel: { color: '#1f1f1f' } },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { color: '#1f1f1f' } },
      series: [
        {
          type: 'bar',
          data: bars.map((b) => b.value),
          itemStyle: { color: '#0050b3' },
          // Each bar carries its number, so the chart reads without judging bar heights.
          label: { show: true, position: 'top', color: '#1f1f1f' },
          barMaxWidth: 48,
        },
      ],
    });
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, [bars]);
  return <div ref={ref} className="dp-chart" role="img" aria-label={label} data-testid="state-chart" />;
}
