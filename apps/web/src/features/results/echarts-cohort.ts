/**
 * ECharts for a programme's cohort results, tree-shaken to what that page draws: a heatmap
 * (coloured by band through a hidden piecewise visualMap), bars and markers for distributions,
 * means and change, with the SVG renderer. Legends are HTML beside the chart. Loaded with a
 * dynamic import, so it is a chunk of its own.
 */
import { use } from 'echarts/core';
import { BarChart, HeatmapChart, ScatterChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, VisualMapPiecewiseComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

use([HeatmapChart, BarChart, ScatterChart, GridComponent, TooltipComponent, VisualMapPiecewiseComponent, SVGRenderer]);

export { init } from 'echarts/core';
