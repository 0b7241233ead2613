/**
 * The report's process map. The page script redraws it (laid out in the page) at any level
 * the sliders pick, in the frequency or the performance view; the Graphviz map of the
 * default level stays in the page as what a reader without scripts sees.
 *
 * Levels: the activity slider keeps the k most frequent activities (k = 1 … up to
 * MAP_SLIDER_MAX_ACTIVITIES); the path slider runs from 0 %, where each kept activity keeps
 * only its strongest incoming and outgoing edge (`orderEdgesForMap`), to 100 %, every edge
 * between kept activities. In between, p % of the remaining edges are added, most frequent
 * first. So a level's edges are always a prefix of one fixed order, and the default level is
 * exactly `discoverDfgForMap` with its edge count.
 */
import {
  discoverDfgForMap,
  LogMeasures,
  orderEdgesForMap,
  type DirectlyFollowsGraph,
  type ProcessMapGraph,
  type ProcessMapNode,
} from '../analysis/index.js';
import type { EventLog } from '../event-log.js';
import { formatDurationShort } from '../format/duration.js';
import { durationFill, durationStroke, formatCount, frequencyFill, penWidth, wrapLabel } from '../process-map/index.js';
import { escapeHtml, inlineSvg, section } from './html.js';

/** The activity slider stops here: a map with more boxes is no longer readable. */
export const MAP_SLIDER_MAX_ACTIVITIES = 100;

/**
 * The default level (the static map, the ProcessMap artifact and `figures.processMap`): the
 * most frequent activities that together hold 98 % of the events, at most 30, with the path
 * slider at 10 %, lowered when that would draw more than 60 edges. Rare activities and paths
 * are what make a map wide and tangled; this keeps big logs (BPIC 2012: 20 of 24 activities)
 * within a 1400 px window, and the sliders bring the rest back.
 */
export const MAP_DEFAULT = { maxActivities: 30, eventCoveragePercent: 98, pathsPercent: 10, maxEdges: 60 } as const;

/** Service time of an activity (start to completion), when the log has start timestamps. */
interface ServiceTime {
  readonly count: number;
  readonly meanSeconds: number;
  readonly medianSeconds: number;
}

/** Read as optional: nodes carry it only where service times are computed. */
type NodeWithServiceTime = ProcessMapNode & { readonly serviceTime?: ServiceTime | null };

interface ServiceTimeView {
  readonly count: number;
  readonly mean: string;
  readonly median: string;
  readonly meanFill: string;
  readonly meanFont: string;
  readonly medianFill: string;
  readonly medianFont: string;
}

/** One activity as the page draws it; index = frequency rank. */
export interface MapActivityView {
  readonly name: string;
  readonly lines: readonly string[];
  readonly count: string;
  readonly fill: string;
  readonly font: string;
  readonly startCount: number;
  readonly endCount: number;
  /** Pen widths of the start/end edges (by case count, same scale as the edges). */
  readonly startWidth: number;
  readonly endWidth: number;
  readonly serviceTime: ServiceTimeView | null;
}

/** One directly-follows edge as the page draws it, in the fixed edge order (count desc). */
export interface MapEdgeView {
  readonly source: number;
  readonly target: number;
  readonly count: string;
  readonly width: number;
  readonly mean: string;
  readonly median: string;
  readonly meanColor: string;
  readonly meanWidth: number;
  readonly medianColor: string;
  readonly medianWidth: number;
}

export interface MapPageData {
  /** Activities in the log (the slider reaches at most `activities.length` of them). */
  readonly totalActivities: number;
  readonly activities: readonly MapActivityView[];
  readonly edges: readonly MapEdgeView[];
  /** Per activity level k (index k − 1): the reserved edges, in order, and how many edges join kept activities. */
  readonly levels: readonly { readonly reserved: readonly number[]; readonly candidates: number }[];
  readonly defaults: { readonly activities: number; readonly pathsPercent: number };
  readonly hasServiceTimes: boolean;
}

export interface ReportMap {
  readonly page: MapPageData;
  /** The default level, pruned as `discoverDfgForMap` does it. */
  readonly defaultGraph: ProcessMapGraph;
  /** The same map with its default level at `activities` of the most frequent activities (the fit to the window). */
  withDefaultActivities(activities: number): ReportMap;
}

/**
 * Widest default map drawn: the report's content is 1292 px wide in a 1400 px window
 * (`main` max-width less its padding and the section's), with a little to spare.
 */
export const MAP_FIT_WIDTH_PX = 1280;

/** The drawn width of a Graphviz SVG (its `width` in points), in CSS pixels. */
export function svgWidthPx(svg: string): number | null {
  const match = /<svg\b[^>]*\swidth="([\d.]+)(pt|px)?"/.exec(svg);
  if (!match) return null;
  const value = Number(match[1]);
  return match[2] === 'px' ? value : (value * 96) / 72;
}

/** Edges shown at a level: the reserved ones plus p % of the others (the page computes the same). */
export function edgesShownAt(reservedCount: number, candidateCount: number, pathsPercent: number): number {
  return reservedCount + Math.round((pathsPercent / 100) * (candidateCount - reservedCount));
}

/** `measures`: those of `log` the analyses already computed. */
export function planReportMap(log: EventLog, dfg: DirectlyFollowsGraph, measures: LogMeasures = new LogMeasures(log)): ReportMap {
  const { counters, dfgCore: core, serviceTimes: serviceDurations } = measures;
  const ranked = discoverDfgForMap(log, { maxActivities: MAP_SLIDER_MAX_ACTIVITIES, maxEdges: 0 }, counters, core, serviceDurations).nodes as readonly NodeWithServiceTime[];
  const rank = new Map(ranked.map((node, i) => [node.activity, i]));
  // dfg.edges is sorted by count desc, then source and target name: the candidates' order.
  const edges = dfg.edges.filter((e) => rank.has(e.source) && rank.has(e.target));
  const edgeSource = edges.map((e) => rank.get(e.source)!);
  const edgeTarget = edges.map((e) => rank.get(e.target)!);

  const levels: { reserved: number[]; candidates: number }[] = [];
  for (let k = 1; k <= ranked.length; k++) {
    const candidates: number[] = [];
    for (let e = 0; e < edges.length; e++) if (edgeSource[e]! < k && edgeTarget[e]! < k) candidates.push(e);
    const kept = Array.from({ length: k }, (_, i) => i);
    const { order, reservedCount } = orderEdgesForMap(kept, candidates, edgeSource, edgeTarget);
    levels.push({ reserved: order.slice(0, reservedCount), candidates: candidates.length });
  }

  /** The default level at `activities`: paths at MAP_DEFAULT.pathsPercent, lowered until at most MAP_DEFAULT.maxEdges are drawn. */
  const defaultAt = (activities: number) => {
    let pathsPercent: number = MAP_DEFAULT.pathsPercent;
    const level = levels[activities - 1];
    if (level) {
      const { reserved, candidates } = level;
      while (pathsPercent > 0 && edgesShownAt(reserved.length, candidates, pathsPercent) > MAP_DEFAULT.maxEdges) pathsPercent--;
    }
    const edgesShown = level ? edgesShownAt(level.reserved.length, level.candidates, pathsPercent) : 0;
    return { pathsPercent, graph: discoverDfgForMap(log, { maxActivities: activities, maxEdges: edgesShown }, counters, core, serviceDurations) };
  };
  const defaultActivities = defaultActivityCount(ranked.map((node) => node.frequency));
  const { pathsPercent, graph: defaultGraph } = defaultAt(defaultActivities);

  const maxFrequency = ranked.reduce((max, node) => Math.max(max, node.frequency), 0);
  const maxEdgeCount = Math.max(0, ...edges.map((e) => e.count), ...ranked.flatMap((n) => [n.startCount, n.endCount]));
  const serviceTimes = ranked.map((node) => node.serviceTime ?? null);
  const maxService = (pick: (s: ServiceTime) => number): number => Math.max(0, ...serviceTimes.map((s) => (s ? pick(s) : 0)));
  const maxServiceMean = maxService((s) => s.meanSeconds);
  const maxServiceMedian = maxService((s) => s.medianSeconds);
  const maxMean = Math.max(0, ...edges.map((e) => e.performance.meanSeconds));
  const maxMedian = Math.max(0, ...edges.map((e) => e.performance.medianSeconds));

  const activities: MapActivityView[] = ranked.map((node, i) => {
    const { fill, fontColor } = frequencyFill(node.frequency, maxFrequency);
    const service = serviceTimes[i]!;
    let serviceView: ServiceTimeView | null = null;
    if (service) {
      const mean = durationFill(service.meanSeconds, maxServiceMean);
      const median = durationFill(service.medianSeconds, maxServiceMedian);
      serviceView = {
        count: service.count,
        mean: formatDurationShort(service.meanSeconds),
        median: formatDurationShort(service.medianSeconds),
        meanFill: mean.fill,
        meanFont: mean.fontColor,
        medianFill: median.fill,
        medianFont: median.fontColor,
      };
    }
    return {
      name: node.activity,
      lines: wrapLabel(node.activity),
      count: formatCount(node.frequency),
      fill,
      font: fontColor,
      startCount: node.startCount,
      endCount: node.endCount,
      startWidth: round2(penWidth(node.startCount, maxEdgeCount)),
      endWidth: round2(penWidth(node.endCount, maxEdgeCount)),
      serviceTime: serviceView,
    };
  });
  const edgeViews: MapEdgeView[] = edges.map((e, i) => {
    const mean = durationStroke(e.performance.meanSeconds, maxMean);
    const median = durationStroke(e.performance.medianSeconds, maxMedian);
    return {
      source: edgeSource[i]!,
      target: edgeTarget[i]!,
      count: formatCount(e.count),
      width: round2(penWidth(e.count, maxEdgeCount)),
      mean: formatDurationShort(e.performance.meanSeconds),
      median: formatDurationShort(e.performance.medianSeconds),
      meanColor: mean.color,
      meanWidth: round2(mean.width),
      medianColor: median.color,
      medianWidth: round2(median.width),
    };
  });
  const page: Omit<MapPageData, 'defaults'> = {
    totalActivities: dfg.nodes.length,
    activities,
    edges: edgeViews,
    levels,
    hasServiceTimes: serviceTimes.some((s) => s !== null),
  };
  const reportMapAt = (activities: number, chosen: ReturnType<typeof defaultAt>): ReportMap => ({
    page: { ...page, defaults: { activities, pathsPercent: chosen.pathsPercent } },
    defaultGraph: chosen.graph,
    withDefaultActivities: (fewer) => reportMapAt(fewer, defaultAt(fewer)),
  });
  return reportMapAt(defaultActivities, { pathsPercent, graph: defaultGraph });
}

/** The fewest most-frequent activities holding MAP_DEFAULT.eventCoveragePercent of the events, at most MAP_DEFAULT.maxActivities. */
export function defaultActivityCount(frequenciesDescending: readonly number[]): number {
  const total = frequenciesDescending.reduce((sum, f) => sum + f, 0);
  let covered = 0;
  let k = 0;
  while (k < frequenciesDescending.length && k < MAP_DEFAULT.maxActivities && covered * 100 < total * MAP_DEFAULT.eventCoveragePercent) {
    covered += frequenciesDescending[k]!;
    k++;
  }
  return k;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * The map section: controls (hidden until the script shows them), the static Graphviz map of
 * the default level and a note. The page script swaps the static map for the drawn one.
 */
export function interactiveMapSection(staticSvg: string, note: string): string {
  const controls = `<form class="map-controls" hidden aria-controls="map-live">
<div class="control"><label for="map-activities">Activities</label> <input type="range" id="map-activities" min="1" step="1"> <output for="map-activities" id="map-activities-value"></output></div>
<div class="control"><label for="map-paths">Paths</label> <input type="range" id="map-paths" min="0" max="100" step="1"> <output for="map-paths" id="map-paths-value"></output></div>
<fieldset class="control"><legend>View</legend><label><input type="radio" name="map-view" value="frequency" checked> Frequency</label> <label><input type="radio" name="map-view" value="performance"> Performance</label></fieldset>
<fieldset class="control" id="map-statistic"><legend>Duration</legend><label><input type="radio" name="map-statistic" value="mean" checked> Mean</label> <label><input type="radio" name="map-statistic" value="median"> Median</label></fieldset>
</form>`;
  const body = [
    controls,
    `<div class="map map-static">${inlineSvg(staticSvg)}</div>`,
    '<div class="map map-live" id="map-live" hidden></div>',
    `<p class="map-legend" id="map-legend">${escapeHtml(note)}</p>`,
  ].join('\n');
  return section('Process map', body, 'process-map');
}
