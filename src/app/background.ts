/**
 * Work started and not awaited (a bus publish, a takeover attempt, a key reload): its failure must
 * never become an unhandled rejection, which Node turns into a crash. `background(promise, task)`
 * catches it, counts it per task and hands it to every listener (the server logs it); the counts
 * are served as `croupier_background_failures_total{task}`.
 *
 * The counts are per process, like the rejections they replace: every server in the process shares them.
 */
export type BackgroundFailureListener = (task: string, error: unknown) => void;

const failures = new Map<string, number>();
const listeners = new Set<BackgroundFailureListener>();

export function background(promise: Promise<unknown>, task: string): void {
  promise.catch((error: unknown) => {
    failures.set(task, (failures.get(task) ?? 0) + 1);
    for (const listener of listeners) {
      try {
        listener(task, error);
      } catch {
        // A listener that throws (a closed log stream) must not bring the rejection back.
      }
    }
  });
}

/** Registers a listener for background failures; returns the function that removes it. */
export function onBackgroundFailure(listener: BackgroundFailureListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Failures so far, by task. */
export function backgroundFailures(): ReadonlyMap<string, number> {
  return failures;
}
