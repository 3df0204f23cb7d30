import { LegendComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { EChart } from '../datastore/echart.tsx';

// The datastore's chart registers bars, axes and tooltips; the stacked bars also need a legend.
echarts.use([LegendComponent]);

export function GradedChart({
  label,
  option,
  height,
}: {
  label: string;
  option: Record<string, unknown>;
  height: number;
}) {
  return <EChart label={label} option={option} height={height} testId="security-graded-chart" />;
}
