// Chart images on the server: chart.js drawing on @napi-rs/canvas, with the same
// spec and plugin as the browser.
import { createCanvas, GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';
import { Chart, registerables } from 'chart.js';
import { impactPlugin, prepareSpec } from '../views/static/js/impact-charts.js';
import type { ChartSpec } from './chart-spec';
import { CHART_FONT_FAMILY, FONT_BOLD, FONT_REGULAR } from './fonts';

Chart.register(...registerables, impactPlugin);
GlobalFonts.registerFromPath(FONT_REGULAR, CHART_FONT_FAMILY);
GlobalFonts.registerFromPath(FONT_BOLD, CHART_FONT_FAMILY);
Chart.defaults.font.family = CHART_FONT_FAMILY;
Chart.defaults.color = '#1b1f24';

/**
 * A chart as PNG. `title` draws the spec's title (for a PNG that stands alone); the
 * PDF asks for larger text so that printed labels are at least 8 pt, and for a JPEG.
 */
export async function renderChartPng(
  spec: ChartSpec,
  options: { width?: number; height?: number; title?: boolean; fontSize?: number; jpeg?: boolean } = {},
): Promise<Buffer> {
  const { width = 900, height = 420, title = false, fontSize = 14, jpeg = false } = options;
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d') as SKRSContext2D;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  const config = prepareSpec(structuredClone(spec));
  config.options.responsive = false;
  config.options.plugins.title.display = title && Boolean(config.options.plugins.title.text);
  config.options.plugins.title.font = { size: Math.round(fontSize * 1.15) };
  // Drawing is synchronous: the default font size holds for this chart only.
  Chart.defaults.font.size = fontSize;
  const chart = new Chart(ctx as unknown as CanvasRenderingContext2D, config as never);
  // chart.js clears the canvas: paint white behind what it drew (a JPEG has no transparency).
  ctx.globalCompositeOperation = 'destination-over';
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  // The PDF takes a JPEG as it is; a PNG's alpha channel pdfkit would unpack and deflate again (seconds per report).
  const png = jpeg ? await canvas.encode('jpeg', 92) : await canvas.encode('png');
  chart.destroy();
  return png;
}
