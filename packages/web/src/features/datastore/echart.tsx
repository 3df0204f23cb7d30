import { BarChart, CustomChart, LineChart, PieChart, ScatterChart } from 'echarts/charts';
import { DataZoomInsideComponent, GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([
  BarChart,
  LineChart,
  PieChart,
  ScatterChart,
  CustomChart,
  GridComponent,
  TooltipComponent,
  DataZoomInsideComponent,
  SVGRenderer,
]);

interface EChartProps {
  /** Describes the whole chart for screen readers; the page shows the same figures as text too. */
  label: string;
  option: Record<string, unknown>;
  height?: number;
  testId?: string;
}

/** One ECharts chart. Loaded on demand: ECharts is large and only the Chart and Map tabs need it. */
export function EChart({ label, option, height = 360, testId }: EChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const chart = echarts.init(element, undefined, { renderer: 'svg' });
    chart.setOption(option, { notMerge: true });
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, [option]);
  return (
    <div
      ref={ref}
      className="dp-chart"
      style={{ height }}
      role="img"
      aria-label={label}
      {...(testId ? { 'data-testid': testId } : {})}
    />
  );
}
