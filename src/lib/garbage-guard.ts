/**
 * Keeps a long sync's garbage from piling up. Bun's collector runs when its heap has grown
 * enough, but the strings a sync makes and drops by the million (COPY text, unpacked records)
 * mostly live outside the heap it watches, so between collections resident memory would grow
 * by gigabytes.
 *
 * Two steps, because a full collection marks the whole live heap: with a million-learner plan
 * in memory each one costs a good part of a second, and collecting in full after every 64 MB
 * of COPY text spent most of a first sync's client time in the collector. So a small growth
 * asks for a young-generation collection (`Bun.gc(false)`, cheap: the garbage is young), and
 * only a larger growth over the last full collection's floor runs a full, synchronous one.
 * After a collection the resident size stays above the live size until the allocator hands
 * pages back, so the peak sits about one full slack over the steady state. Checking costs one
 * read of the resident size. Called from the places that make garbage in bulk: reading a
 * snapshot, unpacking records, and COPY. The sync benchmark's peaks (README, "Performance")
 * show its effect.
 */
export interface GarbageSlack {
  /** Growth since the last collection of any kind that asks for a young one. */
  youngBytes: number;
  /** Growth over the floor of the last full collection that runs a full one. */
  fullBytes: number;
}

const MB = 1024 * 1024;
const DEFAULT_SLACK: GarbageSlack = { youngBytes: 16 * MB, fullBytes: 128 * MB };

/** The resident size just after the last full collection, and at the last collection of any kind: one process has one of each. */
let floor = 0;
let lastCollection = 0;

/** Collects if resident memory has grown by more than the slack; says which collection it ran, if any. */
export function collectIfGrown(slack: GarbageSlack = DEFAULT_SLACK): "full" | "young" | false {
  const resident = process.memoryUsage.rss();
  if (floor === 0 || resident < floor) floor = resident;
  if (lastCollection === 0 || resident < lastCollection) lastCollection = resident;
  if (resident - floor >= slack.fullBytes) {
    Bun.gc(true);
    floor = lastCollection = process.memoryUsage.rss();
    return "full";
  }
  if (resident - lastCollection < slack.youngBytes) return false;
  Bun.gc(false);
  lastCollection = resident;
  return "young";
}
