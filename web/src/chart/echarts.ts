/**
 * Apache ECharts, only the parts the dashboard draws with (bar charts, grid, tooltip, legend, the "today" mark
 * line, ARIA descriptions) and the SVG renderer: tree-shaken, and SVG so the bars are DOM a screen reader,
 * a test and a print can see. Why ECharts: README's "Dashboard" section. Loaded as a chunk of its own
 * (components/CostChart.tsx imports it dynamically), fetched and compiled while the first report is on its way.
 */
import { BarChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([
  BarChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  MarkLineComponent,
  AriaComponent,
  SVGRenderer,
]);

export { echarts };
