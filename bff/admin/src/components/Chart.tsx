/** ECharts on the admin page: only the chart kinds and parts the dashboard uses, on canvas. */
import ReactEChartsCore from 'echarts-for-react/lib/core';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, DataZoomComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsOption } from 'echarts';

echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, DataZoomComponent, CanvasRenderer]);

export function Chart({ option, height = 280, className }: { option: EChartsOption; height?: number; className?: string }) {
  return <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height }} className={className} />;
}

export interface Bucket {
  key: string;
  label: string;
  count: number;
}

export const lineOption = (points: Array<{ day: string; count: number }>): EChartsOption => ({
  tooltip: { trigger: 'axis' },
  grid: { left: 40, right: 16, top: 16, bottom: 40 },
  xAxis: { type: 'category', data: points.map((p) => p.day.slice(5)), boundaryGap: false },
  yAxis: { type: 'value', minInterval: 1 },
  dataZoom: points.length > 60 ? [{ type: 'inside' }] : [],
  series: [{ type: 'line', name: '收到件数', data: points.map((p) => p.count), areaStyle: { opacity: 0.15 }, smooth: true, showSymbol: points.length <= 31 }],
});

export const pieOption = (buckets: Bucket[]): EChartsOption => ({
  tooltip: { trigger: 'item', formatter: '{b}：{c} 件（{d}%）' },
  legend: { type: 'scroll', orient: 'vertical', right: 0, top: 'middle' },
  series: [
    {
      type: 'pie',
      radius: ['40%', '70%'],
      center: ['35%', '50%'],
      label: { show: false },
      data: buckets.map((b) => ({ name: b.label, value: b.count })),
    },
  ],
});

export const barOption = (buckets: Bucket[], limit = 10): EChartsOption => {
  const top = buckets.slice(0, limit).reverse();
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 32, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: top.map((b) => b.label), axisLabel: { width: 140, overflow: 'truncate' } },
    series: [{ type: 'bar', name: '件数', data: top.map((b) => b.count), label: { show: true, position: 'right' } }],
  };
};
