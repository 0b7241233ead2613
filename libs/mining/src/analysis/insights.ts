/**
 * Plain-language findings computed from the figures. Each insight carries the figures it
 * quotes, so a report can show or re-check them. Kinds:
 * - bottleneck: the (up to 3) directly-follows edges with the highest mean duration, among
 *   edges observed at least twice when any are (a single slow transition is anecdotal);
 * - top_variants: how much of the log the top (up to 3) variants cover;
 * - rework_hotspot: the (up to 3) activities executed more than once in the most cases (executions,
 *   see `analyzeRework`: the lifecycle steps of one execution are never rework);
 * - slow_activity: the (up to 3) activities with the highest mean waiting time before them.
 */
import type { DirectlyFollowsGraph, Insight, ReworkFigures, VariantAnalysis, WaitingTimeFigures } from './analysis.types.js';
import { formatDuration, percent, round } from './numeric.js';

const TOP = 3;

export interface InsightInputs {
  readonly caseCount: number;
  readonly dfg: DirectlyFollowsGraph;
  readonly variants: VariantAnalysis;
  readonly rework: ReworkFigures;
  readonly waitingTime: WaitingTimeFigures;
}

export function generateInsights(inputs: InsightInputs): Insight[] {
  const insights: Insight[] = [];
  const { caseCount } = inputs;

  const repeatedEdges = inputs.dfg.edges.filter((e) => e.count >= 2);
  const edgePool = repeatedEdges.length > 0 ? repeatedEdges : inputs.dfg.edges;
  const slowest = [...edgePool]
    .sort((x, y) => y.performance.meanSeconds - x.performance.meanSeconds || y.count - x.count)
    .slice(0, TOP);
  slowest.forEach((edge, rank) => {
    const p = edge.performance;
    insights.push({
      kind: 'bottleneck',
      message:
        `${rank === 0 ? 'The slowest transition' : `Slow transition #${rank + 1}`} is '${edge.source}' → '${edge.target}': ` +
        `mean ${formatDuration(p.meanSeconds)}, median ${formatDuration(p.medianSeconds)}, max ${formatDuration(p.maxSeconds)} over ${edge.count} occurrences.`,
      figures: {
        source: edge.source,
        target: edge.target,
        count: edge.count,
        meanSeconds: p.meanSeconds,
        medianSeconds: p.medianSeconds,
        maxSeconds: p.maxSeconds,
      },
    });
  });

  const variants = inputs.variants.variants;
  if (variants.length > 0) {
    const top = variants.slice(0, TOP);
    const covered = top.reduce((sum, v) => sum + v.caseCount, 0);
    const first = top[0]!;
    insights.push({
      kind: 'top_variants',
      message:
        `The ${top.length === 1 ? 'most frequent variant covers' : `top ${top.length} variants cover`} ${covered} of ${caseCount} cases (${percent(covered, caseCount)}%) ` +
        `out of ${inputs.variants.variantCount} variants; the most frequent, ${first.id} (${first.activities.length} steps), covers ${first.caseCount} cases (${first.coveragePercent}%).`,
      figures: {
        variantCount: inputs.variants.variantCount,
        topVariantCount: top.length,
        topCaseCount: covered,
        topCoveragePercent: percent(covered, caseCount),
        mostFrequentVariantId: first.id,
        mostFrequentCaseCount: first.caseCount,
        mostFrequentCoveragePercent: first.coveragePercent,
      },
    });
  }

  for (const hotspot of inputs.rework.perActivity.slice(0, TOP)) {
    insights.push({
      kind: 'rework_hotspot',
      message:
        `'${hotspot.activity}' is repeated in ${hotspot.caseCount} of ${caseCount} cases (${percent(hotspot.caseCount, caseCount)}%), ` +
        `with ${hotspot.extraOccurrences} extra ${hotspot.extraOccurrences === 1 ? 'execution' : 'executions'} in total.`,
      figures: {
        activity: hotspot.activity,
        caseCount: hotspot.caseCount,
        casePercent: percent(hotspot.caseCount, caseCount),
        extraOccurrences: hotspot.extraOccurrences,
      },
    });
  }

  const waiting = inputs.waitingTime;
  for (const slow of waiting.perActivity.slice(0, TOP)) {
    const what = waiting.approximation ? 'time since the previous event (no start timestamps, so waiting plus processing)' : 'waiting time';
    insights.push({
      kind: 'slow_activity',
      message:
        `'${slow.activity}' has a mean ${what} of ${formatDuration(slow.meanSeconds)} ` +
        `(median ${formatDuration(slow.medianSeconds)}, max ${formatDuration(slow.maxSeconds)}) over ${slow.count} executions.`,
      figures: {
        activity: slow.activity,
        count: slow.count,
        meanSeconds: round(slow.meanSeconds),
        medianSeconds: round(slow.medianSeconds),
        maxSeconds: slow.maxSeconds,
        approximation: waiting.approximation ? 'true' : 'false',
      },
    });
  }
  return insights;
}
