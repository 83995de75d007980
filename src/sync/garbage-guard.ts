/**
 * Keeps a long sync's garbage from piling up. Bun's collector runs when the heap has grown
 * enough, but the strings a sync makes and drops by the million (COPY text, unpacked records)
 * live mostly outside the heap it watches, so between collections resident memory grew by
 * gigabytes at a million learners (measured: a first sync of 300k learners peaked at 1,161 MB
 * against 640 MB live; with a collection whenever memory had grown by 256 MB, see the README).
 * Checking costs one read of the resident size; collecting costs a full mark of the live heap,
 * so it happens only after `slackBytes` of growth, not on a timer.
 */
const DEFAULT_SLACK_BYTES = 128 * 1024 * 1024;

let floor = 0;

/** Collects if resident memory has grown by more than `slackBytes` since the last collection. */
export function collectIfGrown(slackBytes = DEFAULT_SLACK_BYTES): void {
  const resident = process.memoryUsage.rss();
  if (floor === 0 || resident < floor) floor = resident;
  if (resident - floor < slackBytes) return;
  Bun.gc(true);
  floor = process.memoryUsage.rss();
}
