// Entry of coachsite's ECharts bundle: only the parts coachsite's charts use.
// Keep this list in step with generator/chart (docs/charts.md lists why each is here).
import { use, init, getInstanceByDom, version } from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import {
  PolarComponent,
  GridSimpleComponent,
  TooltipComponent,
  TitleComponent,
  LegendPlainComponent,
} from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

use([
  BarChart,
  LineChart,
  PolarComponent,
  GridSimpleComponent,
  TooltipComponent,
  TitleComponent,
  LegendPlainComponent,
  SVGRenderer,
]);

export { init, getInstanceByDom, version };
