/** Datasets: upload an event log with a progress bar, and describe one by id. */
import { useState } from 'preact/hooks';
import type { Dataset, ExecutionApi } from '../api';
import { ErrorNote, Field, ProgressBar, formatTime, orDash } from '../components';
import { canWrite, rememberDataset, rememberedDatasets, type Session } from '../session';

export function DatasetsPage({ api, session }: { api: ExecutionApi; session: Session }) {
  const [described, setDescribed] = useState<Dataset | null>(null);
  const [lookupId, setLookupId] = useState('');
  const [lookupError, setLookupError] = useState<unknown>(null);
  const [known, setKnown] = useState(() => rememberedDatasets(session));

  const describe = async (datasetId: string) => {
    setLookupError(null);
    try {
      setDescribed(await api.getDataset(datasetId.trim()));
    } catch (caught) {
      setDescribed(null);
      setLookupError(caught);
    }
  };

  return (
    <>
      <h1>Datasets</h1>
      <div class="columns">
        {canWrite(session) ? (
          <UploadForm api={api} onUploaded={(dataset) => {
            rememberDataset(session, { datasetId: dataset.datasetId, name: dataset.name });
            setKnown(rememberedDatasets(session));
            setDescribed(dataset);
          }} />
        ) : null}
        <section class="card" aria-labelledby="describe-heading">
          <h2 id="describe-heading">Describe a dataset</h2>
          <form onSubmit={(e) => { e.preventDefault(); void describe(lookupId); }}>
            <Field label="Dataset id">
              <input name="datasetId" required value={lookupId} onInput={(e) => setLookupId(e.currentTarget.value)} />
            </Field>
            <ErrorNote error={lookupError} />
            <button type="submit">Describe</button>
          </form>
          {known.length > 0 ? (
            <>
              <h3>Uploaded from this browser</h3>
              <ul>
                {known.map((d) => (
                  <li key={d.datasetId}>
                    <button type="button" class="link" onClick={() => { setLookupId(d.datasetId); void describe(d.datasetId); }}>{d.name}</button>
                    {' '}<code class="field-hint">{d.datasetId}</code>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      </div>
      {described ? <DatasetDescription dataset={described} /> : null}
    </>
  );
}

function UploadForm({ api, onUploaded }: { api: ExecutionApi; onUploaded: (dataset: Dataset) => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState('');
  const [columns, setColumns] = useState({ caseColumn: '', activityColumn: '', timestampColumn: '', resourceColumn: '' });
  const [progress, setProgress] = useState<number | null>(null);
  const [phase, setPhase] = useState<'idle' | 'sending' | 'reading' | 'done'>('idle');
  const [error, setError] = useState<unknown>(null);

  const upload = async (event: Event) => {
    event.preventDefault();
    if (!file) return;
    setError(null);
    setPhase('sending');
    setProgress(0);
    try {
      const dataset = await api.uploadDataset({ file, name: name || undefined, ...columns }, (sent, total) => {
        setProgress(total > 0 ? Math.round((sent / total) * 100) : null);
        // Every byte sent: the service now reads the log before it answers.
        if (total > 0 && sent >= total) setPhase('reading');
      });
      setPhase('done');
      setProgress(100);
      onUploaded(dataset);
    } catch (caught) {
      setPhase('idle');
      setError(caught);
    }
  };

  return (
    <section class="card" aria-labelledby="upload-heading">
      <h2 id="upload-heading">Upload an event log</h2>
      <form onSubmit={upload}>
        <Field label="Event log file" hint="CSV or XES, plain or gzipped">
          <input name="file" type="file" required accept=".csv,.xes,.gz,.xml,text/csv,application/xml,application/gzip"
            onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
        </Field>
        <Field label="Name" hint="Defaults to the file name">
          <input name="name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
        <details>
          <summary>Column mapping (optional; found from the header otherwise)</summary>
          <div class="grid">
            {(['caseColumn', 'activityColumn', 'timestampColumn', 'resourceColumn'] as const).map((key) => (
              <Field key={key} label={key.replace('Column', ' column')}>
                <input name={key} value={columns[key]} onInput={(e) => setColumns({ ...columns, [key]: e.currentTarget.value })} />
              </Field>
            ))}
          </div>
        </details>
        {phase !== 'idle' ? (
          <div class="upload-progress">
            <ProgressBar value={progress} label="Upload progress" tone={phase === 'done' ? 'done' : ''} />
            <p role="status">{phase === 'sending' ? 'Sending…' : phase === 'reading' ? 'Sent; the service is reading the log…' : 'Uploaded.'}</p>
          </div>
        ) : null}
        <ErrorNote error={error} />
        <button type="submit" disabled={!file || phase === 'sending' || phase === 'reading'}>Upload</button>
      </form>
    </section>
  );
}

function DatasetDescription({ dataset }: { dataset: Dataset }) {
  return (
    <section class="card" aria-labelledby="dataset-heading" data-dataset-id={dataset.datasetId}>
      <h2 id="dataset-heading">{dataset.name}</h2>
      <dl class="facts">
        <dt>Dataset id</dt><dd><code>{dataset.datasetId}</code></dd>
        <dt>Format</dt><dd>{dataset.format}</dd>
        <dt>Size</dt><dd>{dataset.size}</dd>
        <dt>Rows</dt><dd>{dataset.rowCount}</dd>
        <dt>Cases</dt><dd>{orDash(dataset.cases)}</dd>
        <dt>Events</dt><dd>{orDash(dataset.events)}</dd>
        <dt>Activities</dt><dd>{orDash(dataset.activities)}</dd>
        <dt>Data quality score</dt><dd>{orDash(dataset.dataQualityScore)}</dd>
        <dt>Columns</dt><dd>{dataset.columns.map((c) => c || '(unnamed)').join(', ')}</dd>
        <dt>Column mapping</dt>
        <dd>{Object.entries(dataset.columnMapping).filter(([, v]) => v).map(([k, v]) => `${k}: ${v}`).join('; ')}</dd>
        <dt>Uploaded</dt><dd>{formatTime(dataset.createdAt)} by {dataset.createdBy}</dd>
      </dl>
      {dataset.warnings.length > 0 ? (
        <>
          <h3>Warnings</h3>
          <ul>{dataset.warnings.map((w, i) => <li key={i}>{w.message}{w.count ? ` (${w.count})` : ''}</li>)}</ul>
        </>
      ) : null}
    </section>
  );
}
