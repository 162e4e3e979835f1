/**
 * ECharts for an organisation's results, tree-shaken to what that page draws: a radar and
 * bars, with the SVG renderer. Loaded with a dynamic import, so it is a chunk of its own that
 * only the results page fetches.
 */
import { use } from 'echarts/core';
import { BarChart, RadarChart } from 'echarts/charts';
import { GridComponent, RadarComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

use([RadarChart, BarChart, RadarComponent, GridComponent, TooltipComponent, SVGRenderer]);

export { init } from 'echarts/core';
