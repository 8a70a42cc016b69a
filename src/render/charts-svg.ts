import type * as VegaModule from 'vega';
import type { ChartSpec } from './specs/chart-spec.js';

type Vega = typeof VegaModule;
type Compile = typeof import('vega-lite').compile;

/*
 * Vega and Vega-Lite take ≈ 0.3–0.4 s of CPU to load; a run that writes no chart (`vsm analyze --no-html`, --json,
 * compare, inspect) never loads them. Loaded once, on the first chart.
 */
let loaded: Promise<{ vega: Vega; compile: Compile }> | undefined;
function loadVega(): Promise<{ vega: Vega; compile: Compile }> {
  loaded ??= Promise.all([import('vega'), import('vega-lite')]).then(([vega, lite]) => ({ vega, compile: lite.compile }));
  return loaded;
}

/**
 * Renders one Vega-Lite chart to a standalone SVG string headless (no DOM, no canvas): compile to Vega,
 * run a View with renderer 'none' and ask it for SVG. (Node may compile expressions with `new Function`; only
 * the HTML page, under its Content-Security-Policy, needs the expression interpreter.)
 */
export async function renderChartSvg(chart: ChartSpec, options: ChartRenderOptions = {}): Promise<string> {
  const { vega, compile } = await loadVega();
  const logger = chartLogger(vega, chart.name, options.onWarning);
  const vegaSpec = compile(chart.spec, { logger }).spec;
  const view = new vega.View(vega.parse(vegaSpec), { renderer: 'none', logger, logLevel: vega.Warn });
  try {
    const svg = await view.toSVG();
    return addTextAlternative(renumberIds(svg), chart);
  } finally {
    view.finalize();
  }
}

export interface ChartRenderOptions {
  /** Receives Vega's and Vega-Lite's warnings; by default they are dropped (never printed by the library). */
  onWarning?: (message: string) => void;
}

/*
 * Vega and Vega-Lite print their own `WARN …` lines to the console by default. The tool owns stderr (issue 11
 * item 17), so their logger hands each warning to the caller, prefixed with the chart's name; errors still throw.
 */
function chartLogger(vega: Vega, chartName: string, onWarning: ((message: string) => void) | undefined) {
  let level = vega.Warn;
  const forward = (...args: readonly unknown[]) => onWarning?.(`chart ${chartName}: ${args.map(String).join(' ')}`);
  const logger = {
    level(value?: number) {
      if (value === undefined) return level;
      level = value;
      return logger;
    },
    error(...args: readonly unknown[]) {
      forward(...args);
      return logger;
    },
    warn(...args: readonly unknown[]) {
      if (level >= vega.Warn) forward(...args);
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  return logger as unknown as VegaModule.LoggerInterface;
}

/** Gives the SVG root an accessible name (role img + aria-label) when Vega has not set one. */
function addTextAlternative(svg: string, chart: ChartSpec): string {
  if (/^<svg[^>]*\baria-label=/.test(svg)) return svg;
  const escaped = chart.description.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
  return svg.replace(/^<svg/, `<svg role="img" aria-label="${escaped}"`);
}

/*
 * Vega numbers gradients and clip paths with process-wide counters (gradient_7, clip12), so the same chart
 * rendered twice would differ. Renumbering per document in order of first appearance makes output byte-stable.
 */
function renumberIds(svg: string): string {
  const renamed = new Map<string, string>();
  return svg.replace(/\b(gradient_|clip|pattern_)(\d+)\b/g, (whole: string, prefix: string) => {
    let replacement = renamed.get(whole);
    if (replacement === undefined) {
      replacement = `${prefix}${[...renamed.keys()].filter((key) => key.startsWith(prefix)).length}`;
      renamed.set(whole, replacement);
    }
    return replacement;
  });
}
