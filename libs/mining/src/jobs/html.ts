/**
 * Building blocks of the self-contained HTML outputs: inline CSS, inline scripts, no fonts,
 * no external URLs or assets, so a report opens the same offline, from a file, in a mail
 * client or in an archive. Pages must read fully without scripts (a mail preview runs none):
 * scripts only add interaction on top of static content.
 */
export type Cell = string | number | null | undefined;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

// One formatter each: Number#toLocaleString builds a new one per call, which shows on big tables.
const INTEGER_FORMAT = new Intl.NumberFormat('en-US');
const DECIMAL_FORMAT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return Number.isInteger(value) ? INTEGER_FORMAT.format(value) : DECIMAL_FORMAT.format(value);
}

function cellHtml(value: Cell): string {
  if (value === null || value === undefined) return '<td class="empty">–</td>';
  if (typeof value === 'number') return `<td class="num">${formatNumber(value)}</td>`;
  return `<td>${escapeHtml(value)}</td>`;
}

export interface TableOptions {
  /** Rows beyond this are left out, with a note saying how many. */
  readonly maxRows?: number;
  readonly caption?: string;
}

export function table(headers: readonly string[], rows: readonly (readonly Cell[])[], options: TableOptions = {}): string {
  const shown = options.maxRows === undefined ? rows : rows.slice(0, options.maxRows);
  const head = `<tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = shown.length > 0
    ? shown.map((row) => `<tr>${row.map(cellHtml).join('')}</tr>`).join('\n')
    : `<tr><td colspan="${headers.length}" class="empty">No rows</td></tr>`;
  const omitted = rows.length - shown.length;
  const note = omitted > 0 ? `<p class="note">${formatNumber(omitted)} more rows not shown (all of them are in the job's figures).</p>` : '';
  const caption = options.caption ? `<caption>${escapeHtml(options.caption)}</caption>` : '';
  return `<table>${caption}<thead>${head}</thead><tbody>\n${body}\n</tbody></table>${note}`;
}

export function section(title: string, body: string, id?: string): string {
  return `<section${id ? ` id="${escapeHtml(id)}"` : ''}><h2>${escapeHtml(title)}</h2>\n${body}\n</section>`;
}

export function paragraph(text: string): string {
  return `<p>${escapeHtml(text)}</p>`;
}

/** Headline numbers shown as cards. */
export function keyFigures(items: readonly { label: string; value: Cell }[]): string {
  const cards = items.map(
    ({ label, value }) =>
      `<div class="card"><div class="value">${value === null || value === undefined ? '–' : escapeHtml(typeof value === 'number' ? formatNumber(value) : value)}</div><div class="label">${escapeHtml(label)}</div></div>`,
  );
  return `<div class="cards">${cards.join('')}</div>`;
}

/** A horizontal bar chart as inline SVG (a figure that needs no script to draw). */
export function barChart(title: string, items: readonly { label: string; value: number; display?: string }[], maxBars = 20): string {
  const shown = items.slice(0, maxBars);
  if (shown.length === 0) return '';
  const barHeight = 20;
  const gap = 6;
  const labelWidth = 230;
  const chartWidth = 420;
  const valueWidth = 110;
  const max = Math.max(...shown.map((item) => item.value), 0) || 1;
  const height = shown.length * (barHeight + gap) + gap;
  const width = labelWidth + chartWidth + valueWidth;
  const bars = shown
    .map((item, i) => {
      const y = gap + i * (barHeight + gap);
      const w = Math.max(1, (item.value / max) * chartWidth);
      const label = item.label.length > 34 ? `${item.label.slice(0, 33)}…` : item.label;
      return (
        `<text x="${labelWidth - 8}" y="${y + 14}" text-anchor="end">${escapeHtml(label)}</text>` +
        `<rect x="${labelWidth}" y="${y}" width="${w.toFixed(1)}" height="${barHeight}" rx="2"><title>${escapeHtml(item.label)}: ${escapeHtml(item.display ?? formatNumber(item.value))}</title></rect>` +
        `<text x="${(labelWidth + w + 6).toFixed(1)}" y="${y + 14}">${escapeHtml(item.display ?? formatNumber(item.value))}</text>`
      );
    })
    .join('');
  return (
    `<figure><svg class="bars" role="img" aria-label="${escapeHtml(title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${bars}</svg>` +
    `<figcaption>${escapeHtml(title)}</figcaption></figure>`
  );
}

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:0;color:#1d2433;background:#f6f7f9;line-height:1.45}
header{background:#1d3557;color:#fff;padding:20px 32px}
header h1{margin:0 0 4px;font-size:24px}
header p{margin:0;opacity:.85}
main{padding:8px 32px 40px;max-width:1400px}
section{background:#fff;border:1px solid #dde1e7;border-radius:6px;padding:12px 20px;margin:16px 0}
h2{font-size:18px;margin:6px 0 12px;color:#1d3557}
h3{font-size:15px;margin:14px 0 8px}
table{border-collapse:collapse;margin:8px 0;font-size:13px}
th,td{border-bottom:1px solid #e3e6eb;padding:4px 10px;text-align:left;vertical-align:top}
th{background:#eef1f5}
td.num{text-align:right;font-variant-numeric:tabular-nums}
td.empty{color:#8a93a3}
caption{text-align:left;font-weight:600;padding:4px 0}
.note{color:#5b6475;font-size:12px}
.cards{display:flex;flex-wrap:wrap;gap:10px}
.card{border:1px solid #dde1e7;border-radius:6px;padding:8px 14px;min-width:120px;background:#fafbfc}
.card .value{font-size:20px;font-weight:600}
.card .label{font-size:12px;color:#5b6475}
figure{margin:8px 0}
figcaption{font-size:12px;color:#5b6475}
svg.bars text{font-size:12px;fill:#1d2433}
svg.bars rect{fill:#457b9d}
.map{overflow:auto;border:1px solid #e3e6eb;border-radius:4px;background:#fff}
.map svg{max-width:100%;height:auto}
ul.insights li{margin:4px 0}
[hidden]{display:none!important}
.map-controls{display:flex;flex-wrap:wrap;align-items:center;gap:8px 24px;margin:4px 0 10px;font-size:13px}
.map-controls .control{display:flex;align-items:center;gap:6px}
.map-controls fieldset{border:0;margin:0;padding:0}
.map-controls legend{float:left;margin-right:6px;font-weight:600}
.map-controls label{font-weight:600}
.map-controls fieldset label{font-weight:400}
.map-controls output{min-width:9em;color:#5b6475;font-variant-numeric:tabular-nums}
.map-live svg{display:block;max-width:none}
.map-live text.name{font-size:12px}
.map-live text.metric{font-size:10px}
.map-live text.edge-label{font-size:10px;fill:#333;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}
.explorer-list,.explorer-cases{max-height:440px;overflow:auto;border:1px solid #e3e6eb;border-radius:4px;margin:6px 0}
.explorer-list thead th,.explorer-cases thead th{position:sticky;top:0}
.map-legend{font-size:13px;color:#3b4455}
.variant-runs{font-size:12px}
.variant-runs .run{display:inline-block;background:#eef1f5;border-radius:3px;padding:0 4px;margin:1px 0}
.variant-runs .arrow{color:#8a93a3;margin:0 3px}
button.variant{font:inherit;font-weight:600;color:#1d3557;background:#fff;border:1px solid #9fb0c8;border-radius:4px;padding:1px 8px;cursor:pointer}
button.variant[aria-pressed="true"]{background:#1d3557;color:#fff}
button.variant:focus-visible,.map-controls input:focus-visible{outline:2px solid #e76f51;outline-offset:2px}
`;

/**
 * A script element with inline source. `</script` and `<!--` inside the source would end or
 * confuse the element, so they are written with an escaped slash / bang, which JavaScript
 * reads the same inside strings, regular expressions and comments.
 */
export function inlineScript(source: string): string {
  return `<script>${source.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--')}</script>`;
}

/** Data for the page scripts as a JSON script element (not executed; `<` escaped so no markup can end it). */
export function jsonScript(id: string, value: unknown): string {
  return `<script type="application/json" id="${escapeHtml(id)}">${JSON.stringify(value).replace(/</g, '\\u003c')}</script>`;
}

/** `scripts` (inline script elements) go last in the body, so the static page is complete before they run. */
export function htmlPage(title: string, subtitle: string, body: string, scripts = ''): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(title)}</h1><p>${escapeHtml(subtitle)}</p></header>
<main>
${body}
</main>
${scripts}</body>
</html>
`;
}

/**
 * Prepares a standalone SVG document for inlining into HTML: drops the XML declaration,
 * doctype and comments (a doctype inside <body> is a parse error).
 */
export function inlineSvg(svg: string): string {
  return svg
    .replace(/<\?xml[^>]*\?>/g, '')
    .replace(/<!DOCTYPE[^>]*>/gi, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .trim();
}
