/** Times and durations as people read them in tables. */

/** ISO 8601 in UTC without milliseconds, or `-` when absent. */
export function formatInstant(at: number | undefined): string {
  if (at === undefined || !Number.isFinite(at)) return '-';
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `in 5m 3s`, `2h ago`, relative to `now`. */
export function formatRelative(at: number | undefined, now: number): string {
  if (at === undefined || !Number.isFinite(at)) return '-';
  const delta = at - now;
  const text = formatDuration(Math.abs(delta));
  return delta >= 0 ? `in ${text}` : `${text} ago`;
}

/** `850ms`, `12s`, `5m 3s`, `2h 10m`, `3d 4h`. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '-';
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(Math.round(ms));
  if (abs < 1_000) return `${sign}${abs}ms`;
  const units: Array<[string, number]> = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
  ];
  const parts: string[] = [];
  let rest = abs;
  for (const [unit, size] of units) {
    if (rest >= size && parts.length < 2) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    } else if (parts.length > 0) break;
  }
  return sign + parts.join(' ');
}
