/** Small pieces every page uses. */
import type { ComponentChildren } from 'preact';
import type { JobStatus } from './api';

/** A labelled progress bar (role progressbar, value for assistive technology and tests). */
export function ProgressBar({ value, label, tone }: { value: number | null; label: string; tone?: string }) {
  const shown = value === null ? null : Math.max(0, Math.min(100, value));
  return (
    <div class="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100}
      aria-valuenow={shown ?? undefined} aria-valuetext={shown === null ? 'not measured' : `${shown}%`}>
      <div class={`progress-fill ${tone ?? ''}`} style={{ width: `${shown ?? 0}%` }} />
      <span class="progress-text">{shown === null ? '–' : `${shown}%`}</span>
    </div>
  );
}

export function StatusBadge({ status }: { status: JobStatus | string }) {
  return <span class={`badge badge-${status.toLowerCase()}`} data-status={status}>{status}</span>;
}

export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof Error && 'describe' in error ? (error as { describe(): string }).describe()
    : error instanceof Error ? error.message : String(error);
  return <p class="error" role="alert">{message}</p>;
}

export function Field({ label, children, hint }: { label: string; children: ComponentChildren; hint?: string }) {
  return (
    <label class="field">
      <span class="field-label">{label}</span>
      {children}
      {hint ? <span class="field-hint">{hint}</span> : null}
    </label>
  );
}

/** A value or a dash: an unmeasured figure is null, shown as not measured, never as 0. */
export function orDash(value: string | number | null | undefined): string {
  return value === null || value === undefined || value === '' ? '–' : String(value);
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
}

export function progressTone(status: string): string {
  return status === 'Completed' ? 'done' : status === 'Failed' ? 'failed' : status === 'Cancelled' ? 'cancelled' : '';
}
