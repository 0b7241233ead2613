/**
 * Short human durations for labels: "35 s", "12 m 5 s", "4 h 12 m", "2.3 d".
 *
 * Rules: below a minute whole seconds (one decimal below 10 s, so sub-second gaps don't
 * all read "0 s"); below an hour minutes and seconds; below a day hours and minutes;
 * from a day on, days with one decimal (whole days from 100 d). The value is rounded in
 * the smallest unit shown before it is split, so 3599.6 s reads "1 h 0 m", never "59 m 60 s".
 * Negative durations keep their sign; NaN/Infinity read "n/a".
 */
const MINUTE = 60;
const HOUR = 3600;
const DAY = 86_400;

export function formatDurationShort(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'n/a';
  if (seconds < 0) return `-${formatDurationShort(-seconds)}`;

  if (seconds < 10 && Math.round(seconds * 10) < 100) {
    const tenths = Math.round(seconds * 10);
    return tenths % 10 === 0 ? `${tenths / 10} s` : `${(tenths / 10).toFixed(1)} s`;
  }
  const wholeSeconds = Math.round(seconds);
  if (wholeSeconds < MINUTE) return `${wholeSeconds} s`;
  if (wholeSeconds < HOUR) {
    const minutes = Math.floor(wholeSeconds / MINUTE);
    const rest = wholeSeconds % MINUTE;
    return rest === 0 ? `${minutes} m` : `${minutes} m ${rest} s`;
  }
  const wholeMinutes = Math.round(seconds / MINUTE);
  if (wholeMinutes < DAY / MINUTE) {
    return `${Math.floor(wholeMinutes / 60)} h ${wholeMinutes % 60} m`;
  }
  const days = seconds / DAY;
  if (Math.round(days * 10) < 1000) return `${(Math.round(days * 10) / 10).toFixed(1)} d`;
  return `${Math.round(days)} d`;
}
