/**
 * Links held compactly (source id -> row id, fingerprint, status) and read from the
 * database a page at a time.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { LinkTable } from "../../../src/sync/state/link-table.ts";
import { loadLinks } from "../../../src/sync/state/current.ts";
import { createSyncHarness, type SyncHarness } from "../../helpers/sync-harness.ts";

describe("link table", () => {
  test("gives back each link as it was set, replaces one set again, and grows past its first size", () => {
    const links = new LinkTable(2);
    const idOf = (index: number) => `${index.toString(16).padStart(8, "0")}-00ff-4a0b-8c0d-${(index * 7919).toString(16).padStart(12, "0")}`;
    for (let index = 0; index < 5000; index++)
      links.set(`s${index}`, { entityId: idOf(index), fingerprint: `f${index}`, status: index % 3 ? "active" : "inactive" });
    expect(links.size).toBe(5000);
    expect(links.get("s4999")).toEqual({ entityId: idOf(4999), fingerprint: "f4999", status: "active" });
    expect(links.get("s3")).toEqual({ entityId: idOf(3), fingerprint: "f3", status: "inactive" });
    expect(links.get("s5000")).toBeUndefined();
    expect(links.has("s0")).toBe(true);
    expect(links.activeFingerprint("s1")).toBe("f1");
    expect(links.activeFingerprint("s3")).toBeUndefined();

    links.set("s1", { entityId: "FFFFFFFF-FFFF-4FFF-8FFF-FFFFFFFFFFFF", fingerprint: "new", status: "archived" });
    expect(links.size).toBe(5000);
    expect(links.get("s1")).toEqual({ entityId: "ffffffff-ffff-4fff-8fff-ffffffffffff", fingerprint: "new", status: "archived" });
    expect([...links.keys()].slice(0, 3)).toEqual(["s0", "s1", "s2"]);
    expect(new Map(links).get("s2")).toEqual(links.get("s2"));
  });

  test("refuses a row id that is not a UUID rather than keeping a wrong one", () => {
    expect(() => new LinkTable().set("s", { entityId: "12", fingerprint: "f", status: "active" })).toThrow("not a UUID");
  });
});

let harness: SyncHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

test("links read a page at a time are the same as in one page", async () => {
  harness = await createSyncHarness({ learners: 25 });
  expect((await harness.sync()).status).toBe("succeeded");
  const whole = await loadLinks(harness.database.db, harness.orgId, "oneroster", "learner");
  const paged = await loadLinks(harness.database.db, harness.orgId, "oneroster", "learner", 4);
  expect(whole.size).toBe(25);
  expect(new Map(paged)).toEqual(new Map(whole));
});
