/**
 * Periodic work spread over its period: each shop's hourly or daily job runs at a phase of its own
 * (a hash of the shop and the job), so thousands of shops installed or rescheduled at the same
 * moment do not all come due at the same moment, and each keeps its slot from one period to the next.
 */

/** FNV-1a, 32 bits: stable across processes and releases, unlike a seeded hash. */
function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** Where in its period the job of `key` (a shop and a job kind) runs, in milliseconds from the epoch's period boundaries. */
export function phaseOf(key: string, periodMs: number): number {
  return Math.floor((hash32(key) / 2 ** 32) * periodMs);
}

/**
 * The next slot of the job of `key`: at its phase, at least half a period from `now` (a run that
 * just ended at its slot comes back one period later; one scheduled for the first time lands
 * anywhere in the period ahead).
 */
export function nextSlot(key: string, periodMs: number, now: Date): Date {
  const phase = phaseOf(key, periodMs);
  const earliest = now.getTime() + periodMs / 2;
  const slot = Math.ceil((earliest - phase) / periodMs) * periodMs + phase;
  return new Date(slot);
}
