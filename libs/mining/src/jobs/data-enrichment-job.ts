/**
 * DataEnrichment job: the dataset's events with per-case and per-event columns added
 * (`enrichments`, default all), written as a CSV the core registers as a new dataset.
 */
import path from 'node:path';
import { analyzeLog } from '../analysis/index.js';
import { writeEnrichedCsv } from './enriched-csv.js';
import { artifactTitle, booleanParameter, prepareJobLog, type JobContext, type JobOutcome } from './job-context.js';
import { ENRICHMENTS, type EnrichmentName } from './validate-parameters.js';

export async function runDataEnrichmentJob(context: JobContext): Promise<JobOutcome> {
  const { request, progress } = context;
  const parameters = request.parameters;
  const requested = Array.isArray(parameters['enrichments']) ? (parameters['enrichments'] as EnrichmentName[]) : ENRICHMENTS;
  const enrichments = new Set<EnrichmentName>(requested);
  // Anomaly flags need the detection; `includeAnomalyDetection: false` drops them even when asked for.
  if (!booleanParameter(parameters, 'includeAnomalyDetection', true)) enrichments.delete('anomalies');
  const { log, timeWindow, eventClassifier, warnings } = prepareJobLog(context);

  progress.enter('Discovering');
  const analysis = analyzeLog(log, { includeAnomalyDetection: enrichments.has('anomalies') });

  progress.enter('Measuring');
  const { figures } = analysis;

  progress.enter('Rendering');
  progress.enter('Writing outputs');
  const fileName = 'enriched-data.csv';
  const written = await writeEnrichedCsv(path.join(request.outputDir, fileName), analysis.log, analysis.perCase, enrichments, (rows) =>
    progress.within(rows / Math.max(1, log.eventCount)),
  );
  return {
    artifacts: [
      {
        type: 'EnrichedDataset',
        title: artifactTitle(request, 'Enriched Data'),
        format: 'csv',
        fileName,
        outputType: 'data',
        primary: true,
        recordCount: written.rowCount,
        registerAsDataset: true,
      },
    ],
    warnings,
    figures: {
      eventClassifier,
      ...(timeWindow && { timeWindow }),
      enrichment: { enrichments: [...enrichments], columns: written.columns, addedColumns: written.addedColumns, rowCount: written.rowCount },
      summary: figures.summary,
      variants: { variantCount: figures.variants.variantCount },
      rework: { reworkCaseCount: figures.rework.reworkCaseCount, reworkCasePercent: figures.rework.reworkCasePercent },
      ...(figures.anomalies && { anomalies: { anomalousCaseCount: figures.anomalies.anomalousCaseCount, countsByKind: figures.anomalies.countsByKind } }),
    },
  };
}
