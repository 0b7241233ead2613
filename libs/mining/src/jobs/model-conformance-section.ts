/** Report section of the model mode of conformance checking (figures from `checkModelConformance`). */
import type { ModelConformanceFigures } from '../conformance/index.js';
import { keyFigures, paragraph, section, table } from './html.js';
import type { ReportDetail } from './report-sections.js';

export function modelConformanceSection(c: ModelConformanceFigures, detail: ReportDetail): string {
  const m = c.model;
  const origin = m.source === 'upload' ? `uploaded model ${m.name ?? m.modelId}` : m.source === 'inline' ? 'the model given with the job' : 'the discovered model';
  let body = paragraph(
    `Checked against ${origin}${m.format ? ` (${m.format.toUpperCase()})` : ''}: ${m.places} places, ${m.transitions} transitions. ` +
      'Token replay fitness = ½(1 − missing/consumed) + ½(1 − remaining/produced); alignment fitness = 1 − deviations / (trace length + model moves of the empty trace); precision is ETConformance (escaping edges over the log\'s prefixes).',
  );
  body += keyFigures([
    { label: 'Token replay log fitness', value: c.tokenReplay.logFitness },
    { label: 'Mean trace fitness (replay)', value: c.tokenReplay.averageTraceFitness },
    { label: 'Fitting cases', value: c.tokenReplay.fittingTraces },
    { label: 'Fitting cases %', value: c.tokenReplay.fittingTracePercent },
    { label: 'Alignment fitness', value: c.alignments.fitness },
    { label: 'Precision', value: c.precision },
  ]);
  body += table(['missing', 'remaining', 'consumed', 'produced'], [[c.tokenReplay.missing, c.tokenReplay.remaining, c.tokenReplay.consumed, c.tokenReplay.produced]], { caption: 'Tokens (token replay, all cases)' });
  if (c.alignments.reason) body += paragraph(`Alignments: ${c.alignments.reason}.`);
  body += table(
    ['activity', 'in model', 'log moves', 'model moves', 'replayed with missing tokens', 'events not in model'],
    c.deviations.perActivity.map((d) => [d.activity, d.inModel ? 'yes' : 'no', d.logMoves, d.modelMoves, d.forcedFirings, d.eventsNotInModel]),
    { caption: 'Activities that deviate most (case-weighted)', maxRows: detail.rows },
  );
  body += paragraph(`${c.deviations.deviatingCases} of ${c.caseCount} cases (${c.deviations.deviatingVariants} variants) deviate.`);
  body += table(
    ['variant', 'cases', 'e.g. cases', 'replay fitness', 'alignment fitness', 'log moves', 'model moves'],
    c.deviations.cases.map((v) => [v.variantId, v.caseCount, v.exampleCaseIds.join(', '), v.tokenReplay.fitness, v.alignmentFitness, v.logMoves?.join(', ') ?? null, v.modelMoves?.join(', ') ?? null]),
    { caption: 'Deviating variants', maxRows: detail.rows },
  );
  return section('Conformance', body, 'conformance');
}
