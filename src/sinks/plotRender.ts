/**
 * Render a plot specification (`plotSpec.ts`) with Vega-Lite and Vega: SVG headlessly in Node
 * (Vega's scenegraph with `renderer: 'none'`, no browser or canvas), or a self-contained HTML
 * page that draws the same compiled Vega spec with Vega's browser build inlined, so it works
 * offline, zooms and pans the shared time axis, and keeps Vega's hover tooltips.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { PlotSpec } from './plotSpec.ts';


/** Compile Vega-Lite to Vega (throws on an invalid spec: a bug in plotSpec.ts). */
export function compilePlot(spec: PlotSpec): vega.Spec {
  return compile(spec as unknown as TopLevelSpec).spec;
}

/**
 * Render a spec as an SVG document.
 * @example await renderSvg(ecgPlotSpec(trace)) → '<svg xmlns="http://www.w3.org/2000/svg" ...'
 */
export async function renderSvg(spec: PlotSpec): Promise<string> {
  const view = new vega.View(vega.parse(compilePlot(spec)), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Vega's minified browser build, read from the installed package (its folder holds vega.min.js
 * beside the module build), headed by Vega's BSD-3-Clause licence, which a copy must carry.
 */
async function vegaBrowserBuild(): Promise<string> {
  const buildDir = dirname(fileURLToPath(import.meta.resolve('vega')));
  const [code, licence] = await Promise.all([readFile(join(buildDir, 'vega.min.js'), 'utf8'), readFile(join(buildDir, '..', 'LICENSE'), 'utf8')]);
  return `/*! Vega ${vega.version} (https://vega.github.io/vega/)\n${licence.replace(/\*\//g, '* /')}*/\n${code}`;
}

/**
 * The spec with zoom and pan on the time axis: an interval selection bound to the x scale of
 * the top panel. Every panel shares that one scale, so they all follow (wheel: zoom, drag: pan,
 * double-click: back to the window).
 */
export function withTimeZoom(spec: PlotSpec): PlotSpec {
  const panels = spec.vconcat as Record<string, unknown>[] | undefined;
  const top = panels?.[0];
  if (panels === undefined || top === undefined) return spec;
  const params = [{ name: 'zoom', select: { type: 'interval', encodings: ['x'] }, bind: 'scales' }];
  const layers = top.layer as Record<string, unknown>[] | undefined;
  const zoomed = layers === undefined ? { ...top, params } : { ...top, layer: layers.map((l, i) => (i === 0 ? { ...l, params } : l)) };
  return { ...spec, vconcat: [zoomed, ...panels.slice(1)] };
}

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Render a spec as a self-contained HTML page (about 0.5 MB of it is Vega itself).
 * @param title the page title
 */
export async function renderHtml(spec: PlotSpec, title: string): Promise<string> {
  const compiled = JSON.stringify(compilePlot(withTimeZoom(spec))).replace(/</g, '\\u003c');
  const library = (await vegaBrowserBuild()).replace(/<\/script/gi, '<\\/script');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>body { font-family: sans-serif; margin: 16px; } #plot { overflow-x: auto; } p { color: #555; font-size: 13px; }</style>
</head>
<body>
<div id="plot"></div>
<p>Made by <code>edgespike plot</code>. On the top panel: wheel to zoom the time axis, drag to pan, double-click to reset; every panel follows. Hover a marker or a raster mark for its values.</p>
<script>${library}</script>
<script>
const spec = ${compiled};
new vega.View(vega.parse(spec), { renderer: 'svg', container: '#plot', hover: true }).runAsync();
</script>
</body>
</html>
`;
}
