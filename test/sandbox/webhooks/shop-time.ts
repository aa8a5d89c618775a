/**
 * REST webhook payloads carry times in the shop's own offset ("2026-03-01T04:30:00-05:00"), not
 * UTC like GraphQL: an app that parses only "Z" times breaks on real deliveries, so the sandbox
 * sends them the same way.
 */
const offsetFormats = new Map<string, Intl.DateTimeFormat>();

export function shopTime(value: string, timeZone: string): string {
  const date = new Date(value);
  const offset = offsetMinutes(date, timeZone);
  const local = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, 19);
  const sign = offset < 0 ? "-" : "+";
  const absolute = Math.abs(offset);
  return `${local}${sign}${pad(Math.floor(absolute / 60))}:${pad(absolute % 60)}`;
}

export function shopTimeOrNull(value: string | null, timeZone: string): string | null {
  return value === null ? null : shopTime(value, timeZone);
}

/** "(GMT-05:00) America/New_York", as the shop object's `timezone` field shows it. */
export function timezoneLabel(timeZone: string, at: Date): string {
  const offset = offsetMinutes(at, timeZone);
  const absolute = Math.abs(offset);
  return `(GMT${offset < 0 ? "-" : "+"}${pad(Math.floor(absolute / 60))}:${pad(absolute % 60)}) ${timeZone}`;
}

function offsetMinutes(date: Date, timeZone: string): number {
  let format = offsetFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" });
    offsetFormats.set(timeZone, format);
  }
  const name = format.formatToParts(date).find((part) => part.type === "timeZoneName")?.value ?? "GMT";
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === "-" ? -minutes : minutes;
}

function pad(value: number): string {
  return String(value).padStart(2, "0");
}
