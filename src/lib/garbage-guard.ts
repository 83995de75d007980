/**
 * Keeps a long sync's garbage from piling up. Bun's collector runs when its heap has grown
 * enough, but the strings a sync makes and drops by the million (COPY text, unpacked records)
 * mostly live outside the heap it watches, so between collections resident memory would grow
 * by gigabytes. After a collection the resident size stays above the live size until the
 * allocator hands pages back, so the slack is kept small: the peak sits about one slack over
 * the steady state. Checking costs one read of the resident size; collecting costs a full
 * mark of the live heap, so it happens only after `slackBytes` of growth, not on a timer.
 * Called from the places that make garbage in bulk: reading a snapshot, unpacking records,
 * and COPY. The sync benchmark's peaks (README, "Performance") show its effect.
 */
const DEFAULT_SLACK_BYTES = 64 * 1024 * 1024;

/** The resident size just after the last collection: one process has one. */
let floor = 0;

/** Collects if resident memory has grown by more than `slackBytes` since the last collection; true if it did. */
export function collectIfGrown(slackBytes = DEFAULT_SLACK_BYTES): boolean {
  const resident = process.memoryUsage.rss();
  if (floor === 0 || resident < floor) floor = resident;
  if (resident - floor < slackBytes) return false;
  Bun.gc(true);
  floor = process.memoryUsage.rss();
  return true;
}
