/**
 * Shopify's DateTime values have whole seconds and a "Z": "2026-03-01T09:30:00Z".
 *
 * The generator formats about a million timestamps for 100,000 customers, and toISOString() was
 * its slowest step: a timestamp is instead joined from a cached day ("2026-03-01T") and a cached
 * time of day ("09:30:00Z"), which also keeps each one a small pair of shared strings in memory.
 */
const DAY_SECONDS = 86_400;
const dayPrefixes = new Map<number, string>();
const timesOfDay = new Array<string | undefined>(DAY_SECONDS);

export function dateTimeFromSeconds(seconds: number): string {
  const day = Math.floor(seconds / DAY_SECONDS);
  const secondOfDay = Math.floor(seconds) - day * DAY_SECONDS;
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY_SECONDS * 1000).toISOString().slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  let time = timesOfDay[secondOfDay];
  if (time === undefined) {
    time = `${pad(Math.floor(secondOfDay / 3600))}:${pad(Math.floor(secondOfDay / 60) % 60)}:${pad(secondOfDay % 60)}Z`;
    timesOfDay[secondOfDay] = time;
  }
  return prefix + time;
}

export function shopifyDateTime(date: Date): string {
  return dateTimeFromSeconds(Math.floor(date.getTime() / 1000));
}

function pad(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}
