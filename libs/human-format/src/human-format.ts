/**
 * The reference API shows figures as prose ("8 minutes 32 seconds", "2.1 GB",
 * "1250 records/second", "45-60 minutes"); these helpers produce exactly those forms.
 * Every response also carries the machine-readable number next to the prose.
 */
const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '0 B';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value >= 100 ? Math.round(value) : Number(value.toFixed(1))} ${UNITS[unit]}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "8 minutes 32 seconds", "2 hours 5 minutes", "45 seconds". */
export function formatElapsed(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const days = Math.floor(s / 86400);
  const hours = Math.floor((s % 86400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const secs = s % 60;
  if (days > 0) return `${plural(days, 'day')} ${plural(hours, 'hour')}`;
  if (hours > 0) return `${plural(hours, 'hour')} ${plural(minutes, 'minute')}`;
  if (minutes > 0) return `${plural(minutes, 'minute')} ${plural(secs, 'second')}`;
  return plural(secs, 'second');
}

/** "23 minutes", "18.5 minutes", "42 seconds", "2.5 hours": one unit, at most one decimal. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, seconds);
  const [value, unit] = s < 60 ? [s, 'second'] : s < 3600 ? [s / 60, 'minute'] : s < 172800 ? [s / 3600, 'hour'] : [s / 86400, 'day'];
  const rounded = unit === 'second' ? Math.round(value) : Number(value.toFixed(1));
  return `${rounded} ${unit}${rounded === 1 ? '' : 's'}`;
}

/** "45-60 minutes" from a low/high pair of seconds (same unit for both ends). */
export function formatDurationRange(lowSeconds: number, highSeconds: number): string {
  const high = Math.max(lowSeconds, highSeconds);
  const [divisor, unit] = high < 120 ? [1, 'seconds'] : high < 7200 ? [60, 'minutes'] : [3600, 'hours'];
  const lo = Math.floor(lowSeconds / divisor);
  const hi = Math.max(lo, Math.ceil(high / divisor));
  return lo === hi ? `${hi} ${unit}` : `${lo}-${hi} ${unit}`;
}

export function formatRate(recordsPerSecond: number): string {
  return `${Math.round(recordsPerSecond)} records/second`;
}

export function formatPercent(value: number): string {
  return `${Math.round(value)}%`;
}
