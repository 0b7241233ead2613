/** The process's peak resident set size so far, in MB. */
export function peakRssMegabytes(): number {
  // maxRSS is reported in kilobytes.
  return process.resourceUsage().maxRSS / 1024;
}
