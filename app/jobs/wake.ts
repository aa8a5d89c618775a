declare global {
  // The wake-up calls of the started workers, kept across dev-server module reloads with the worker itself.
  var startedJobWorkers: Set<() => void> | undefined;
}

const startedWorkers = () => (globalThis.startedJobWorkers ??= new Set());

/** A started worker hears of new work until it calls the returned function (when it stops). */
export function listenForNewWork(wake: () => void): () => void {
  startedWorkers().add(wake);
  return () => startedWorkers().delete(wake);
}

/**
 * New work is due (a job queued for now, a delivery stored or retried): started workers pick it up
 * now rather than at their next poll. (Work queued inside a transaction may wait for that poll: a
 * worker woken before the commit does not see it yet.)
 */
export function newWorkDue() {
  for (const wake of startedWorkers()) wake();
}
