/** Notebook job: runs the declarative cells in order and writes them as an HTML notebook. */
import { escapeHtml, htmlPage, keyFigures, paragraph, section, table } from './html.js';
import type { QualityWarning } from '../job-execution.contract.js';
import { artifactTitle, EMPTY_RESULT_WARNING, prepareJobLog, reportDetail, writeTextArtifact, type JobContext, type JobOutcome } from './job-context.js';
import { runNotebookCells, type CellResult, type NotebookCell } from './notebook-cells.js';
import { eventClassifierSection, jobWarningsSection, qualitySection } from './report-sections.js';

function cellHtml(cell: CellResult, maxRows: number): string {
  const heading = `Cell ${cell.index + 1}: ${cell.title}`;
  const meta = keyFigures([
    { label: 'Type', value: cell.type },
    { label: 'Input cases', value: cell.input.cases },
    { label: 'Input events', value: cell.input.events },
    ...(cell.kind === 'filter'
      ? [
          { label: 'Output cases', value: cell.output.cases },
          { label: 'Output events', value: cell.output.events },
        ]
      : []),
  ]);
  const options = Object.entries(cell.result)
    .filter(([, v]) => typeof v === 'string' || typeof v === 'number' || (Array.isArray(v) && v.every((x) => typeof x === 'string')))
    .map(([k, v]) => `${escapeHtml(k)}: ${escapeHtml(Array.isArray(v) ? v.join(', ') : String(v))}`);
  const description = cell.kind === 'filter' && options.length > 0 ? `<p class="note">${options.join(' · ')}</p>` : '';
  return section(heading, meta + description + table(cell.table.columns, cell.table.rows, { maxRows }), `cell-${cell.index + 1}`);
}

/** The filter cell that left no events (the cells after it see an empty log), as a warning. */
function emptiedByCell(results: readonly CellResult[]): QualityWarning[] {
  const cell = results.find((r) => r.kind === 'filter' && r.input.events > 0 && r.output.events === 0);
  if (!cell) return [];
  return [
    {
      type: EMPTY_RESULT_WARNING,
      message: `No events left after cell ${cell.index + 1} (${cell.type}): it keeps none of its ${cell.input.events} input events; the later cells' figures are empty (null)`,
      count: cell.input.events,
    },
  ];
}

export async function runNotebookJob(context: JobContext): Promise<JobOutcome> {
  const { request, progress, loaded } = context;
  const cells = request.parameters['cells'] as NotebookCell[];
  const prepared = prepareJobLog(context);
  const { log, timeWindow, eventClassifier } = prepared;

  progress.enter('Discovering');
  const results = runNotebookCells(log, cells, (index) => progress.within((index + 1) / cells.length));
  const warnings = [...prepared.warnings, ...emptiedByCell(results)];

  progress.enter('Measuring');
  const final = results.length > 0 ? results[results.length - 1]!.output : { cases: log.caseCount, events: log.eventCount };

  progress.enter('Rendering');
  const title = artifactTitle(request, 'Notebook');
  const maxRows = reportDetail(request.parameters).rows;
  const body = [
    jobWarningsSection(warnings),
    keyFigures([
      { label: 'Cells', value: results.length },
      { label: 'Cases in', value: log.caseCount },
      { label: 'Cases after last filter', value: final.cases },
    ]),
    timeWindow ? paragraph(`Job time window (${timeWindow.mode}) kept ${timeWindow.casesAfter} of ${timeWindow.casesBefore} cases.`) : '',
    ...results.map((cell) => cellHtml(cell, maxRows)),
    eventClassifierSection(eventClassifier),
    qualitySection(loaded.quality),
  ].join('\n');
  const html = htmlPage(title, `${results.length} cells on ${log.caseCount} cases, ${log.eventCount} events`, body);

  progress.enter('Writing outputs');
  const fileName = 'notebook.html';
  await writeTextArtifact(request.outputDir, fileName, html);
  return {
    artifacts: [{ type: 'NotebookResult', title, format: 'html', fileName, outputType: 'reports', primary: true, recordCount: results.length }],
    warnings,
    figures: {
      eventClassifier,
      ...(timeWindow && { timeWindow }),
      notebook: { cellCount: results.length, finalCases: final.cases, finalEvents: final.events },
      cells: results,
    },
  };
}
