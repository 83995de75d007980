/**
 * What the web pages, the scheduler and the CLI use to sync: runs started here go on in the
 * background of this process, and `idle()` lets a graceful shutdown wait for them.
 */
import { errorFields } from "../../lib/log.ts";
import { approveRun, cancelRun, executeRun, startRun, type StartOptions, type SyncDeps } from "./lifecycle.ts";

export interface SyncService {
  readonly deps: SyncDeps;
  /**
   * Creates the run (or throws RunInProgressError / NoSourceError) and works it in the
   * background. `approved`: an admin has just reviewed this plan in a preview, so it is not held.
   */
  start(options: StartOptions & { approved?: boolean }): Promise<string>;
  /** Approves a held run and applies it in the background (throws RunStateError if it is not held). */
  approve(input: { orgId: string; runId: string; userId: string | null }): Promise<void>;
  cancel(input: { orgId: string; runId: string; userId: string | null }): Promise<void>;
  /** Resolves when every run this process is working on has ended. */
  idle(): Promise<void>;
  /** How many runs this process is working on now. */
  readonly running: number;
  /** Calls `listener` whenever a run this process worked on ends (the scheduler then has room); returns a function that stops it. */
  onRunEnded(listener: () => void): () => void;
}

export function createSyncService(deps: SyncDeps): SyncService {
  const inFlight = new Set<Promise<unknown>>();
  const endListeners = new Set<() => void>();

  function track(work: Promise<unknown>): void {
    const tracked = work
      .catch((error: unknown) => deps.logger.error("sync.background_failed", errorFields(error)))
      .finally(() => {
        inFlight.delete(tracked);
        for (const listener of endListeners) listener();
      });
    inFlight.add(tracked);
  }

  return {
    deps,
    async start(options) {
      const runId = await startRun(deps, options);
      track(executeRun(deps, runId, { approved: options.approved ?? false }));
      return runId;
    },
    async approve(input) {
      // approveRun claims the run before it reads, so a wrong state is reported to the caller.
      let claimed!: () => void;
      let refused!: (error: unknown) => void;
      const claim = new Promise<void>((resolve, reject) => {
        claimed = resolve;
        refused = reject;
      });
      track(approveRun(deps, input, claimed).catch((error: unknown) => refused(error)));
      await claim;
    },
    cancel: (input) => cancelRun(deps, input),
    async idle() {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },
    get running() {
      return inFlight.size;
    },
    onRunEnded(listener) {
      endListeners.add(listener);
      return () => endListeners.delete(listener);
    },
  };
}
