/**
 * New learners in a plan are worked out from the run's snapshot store when read. The store
 * of a finished run must not outlive its plan: at a million learners it is over a gigabyte.
 */
import { expect, test } from "bun:test";
import { NewLearnerItem, NewLearnerSource } from "../../src/sync/reconcile/new-learner.ts";
import { SnapshotStore } from "../../src/sync/snapshot/store.ts";

/** The collector scans the stack conservatively: old frames can look like references, so write over them. */
function overwriteStack(depth: number): number {
  const filler = [depth, depth + 1, depth + 2, depth + 3];
  return depth ? overwriteStack(depth - 1) + filler.length : 0;
}

function planAndDropIt(): WeakRef<SnapshotStore> {
  const store = new SnapshotStore();
  for (let index = 0; index < 1000; index++) store.learner({ sourceId: `s${index}`, schoolSourceIds: ["school"], givenName: "Ada", familyName: `L${index}` });
  const source = new NewLearnerSource(store, (sourceId) => ({ values: { givenName: sourceId } as never, flags: undefined, initial: {}, label: sourceId }));
  const items = Array.from(store.learners.keptWhole(), (sourceId) => new NewLearnerItem(sourceId, source));
  // Read each once, as apply does: the last one worked out is remembered.
  expect(items.map((item) => item.label)).toHaveLength(1000);
  expect(items[999]!.label).toBe("s999");
  expect(items[999]!.fingerprint).toBe(store.learners.fingerprintOf("s999"));
  return new WeakRef(store);
}

test("a plan's snapshot store is freed with the plan (nothing process-wide keeps the last item)", async () => {
  const store = planAndDropIt();
  // A WeakRef holds its target until the current job ends (and deref() holds it again), so
  // collect in later turns and look only once.
  for (let turn = 0; turn < 3; turn++) {
    await Bun.sleep(10);
    overwriteStack(500);
    Bun.gc(true);
  }
  expect(store.deref()).toBeUndefined();
});
