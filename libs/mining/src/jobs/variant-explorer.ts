/**
 * The report's variant explorer: the variants with repeated activities collapsed, and for each
 * the cases that follow it. The page script draws it from this data; without scripts the
 * section says so and the Variants table still lists them.
 */
import type { CaseEnrichment, VariantAnalysis } from '../analysis/index.js';
import type { EventLog } from '../event-log.js';
import { formatDurationShort } from '../format/duration.js';
import { formatCount } from '../process-map/index.js';
import { section } from './html.js';

/** Bounds that keep the report a few MB on big logs (BPIC 2012: 4,366 variants, 13,087 cases). */
export const VARIANT_EXPLORER_LIMITS = { variants: 500, casesPerVariant: 200 } as const;

/** A run of one activity repeated back to back: "a a a" is `{activity: 'a', times: 3}`. */
export interface ActivityRun {
  readonly activity: string;
  readonly times: number;
}

/** Collapses consecutive repeats of an activity (a self-loop) into one run. */
export function collapseRepeats(activities: readonly string[]): ActivityRun[] {
  const runs: { activity: string; times: number }[] = [];
  for (const activity of activities) {
    const last = runs[runs.length - 1];
    if (last && last.activity === activity) last.times++;
    else runs.push({ activity, times: 1 });
  }
  return runs;
}

/** How a run reads in the explorer: the name, then "×n" when it repeats ("check ticket ×2"). */
export function runLabel(run: ActivityRun): string {
  return run.times > 1 ? `${run.activity} ×${run.times}` : run.activity;
}

/**
 * A case as [case id, events, duration, start, end] (a tuple: BPIC 2012 ships 13,000 of them).
 * Start and end are ISO-8601 UTC; the start is the case's earliest start (or first
 * completion), as for cycle time.
 */
export type ExplorerCase = readonly [id: string, events: number, duration: string, start: string, end: string];

export interface ExplorerVariant {
  readonly id: string;
  /** Run labels, in order ("check ticket ×2"). */
  readonly runs: readonly string[];
  readonly caseCount: string;
  readonly coveragePercent: number;
  readonly meanDuration: string;
  /** The first `casesPerVariant` cases of the variant, in the log's case order. */
  readonly cases: readonly ExplorerCase[];
}

export interface VariantExplorerData {
  readonly variantCount: number;
  readonly casesPerVariant: number;
  readonly variants: readonly ExplorerVariant[];
}

export function variantExplorerData(variants: VariantAnalysis, log: EventLog, perCase: CaseEnrichment): VariantExplorerData {
  const shown = variants.variants.slice(0, VARIANT_EXPLORER_LIMITS.variants);
  const cases: ExplorerCase[][] = shown.map(() => []);
  for (let c = 0; c < log.caseCount; c++) {
    const list = cases[perCase.caseVariantIndex[c]!];
    if (!list || list.length >= VARIANT_EXPLORER_LIMITS.casesPerVariant) continue;
    const begin = log.caseOffsets[c]!;
    const end = log.caseOffsets[c + 1]!;
    if (end === begin) continue;
    const durationSeconds = perCase.caseDurationSeconds[c]!;
    // Events are in completion order, so the last one ends the case; its duration reaches back to the start.
    const endMs = log.eventTimestamp[end - 1]!;
    list.push([
      log.caseIds[c]!,
      end - begin,
      formatDurationShort(durationSeconds),
      new Date(endMs - durationSeconds * 1000).toISOString(),
      new Date(endMs).toISOString(),
    ]);
  }
  return {
    variantCount: variants.variantCount,
    casesPerVariant: VARIANT_EXPLORER_LIMITS.casesPerVariant,
    variants: shown.map((v, i) => ({
      id: v.id,
      runs: collapseRepeats(v.activities).map(runLabel),
      caseCount: formatCount(v.caseCount),
      coveragePercent: v.coveragePercent,
      meanDuration: formatDurationShort(v.meanDurationSeconds),
      cases: cases[i]!,
    })),
  };
}

export function variantExplorerSection(): string {
  const body = [
    '<p class="needs-script">The variant explorer needs scripts; the Variants section lists every variant.</p>',
    '<div id="variant-explorer-list"></div>',
    '<div id="variant-cases" aria-live="polite"></div>',
  ].join('\n');
  return section('Variant explorer', body, 'variant-explorer');
}
