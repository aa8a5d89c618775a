import { readFileSync } from "node:fs";

/**
 * This process's peak resident memory in MB. Linux's VmHWM belongs to the process's own address
 * space; getrusage's maxRSS is not used because a forked child starts from its parent's peak
 * (a benchmark child would report the seeding parent's memory).
 */
export function peakRssMb(): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"));
  if (!match) throw new Error("peak RSS needs Linux's /proc/self/status");
  return Math.round(Number(match[1]) / 1024);
}
