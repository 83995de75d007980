/**
 * Reconcile, table-driven: each case syncs the district once, changes settings and the
 * district, syncs again, and checks the statuses in the plan and the rows that result.
 * (Matched and May match are covered with the real matcher in matching-sync.test.ts.)
 */
import { afterEach, expect, test } from "bun:test";
import { eq, sql } from "drizzle-orm";
import { syncProblems, syncRunItems, type syncSettings } from "../../../src/db/schema/index.ts";
import { schoolYearOf } from "../../../src/sync/policy/placement.ts";
import type { RunOutcome } from "../../../src/sync/run/lifecycle.ts";
import { createSyncHarness, type District, type SyncHarness } from "../../helpers/sync-harness.ts";

type Settings = Partial<typeof syncSettings.$inferInsert>;

interface Case {
  name: string;
  learners?: number;
  /** Settings for both syncs. */
  initial?: Settings;
  /** Settings changed before the second sync. */
  later?: Settings;
  /** Direct edits an admin or a learner made between the syncs (SQL on this organization). */
  between?: (h: SyncHarness) => Promise<void>;
  change: (district: District) => void;
  check: (h: SyncHarness, run: RunOutcome) => Promise<void>;
}

const dropLearner = (district: District, index: number) => {
  const [leaver] = district.learners.splice(index, 1);
  district.enrolments = district.enrolments.filter((enrolment) => enrolment.personSourceId !== leaver!.sourceId);
  return leaver!;
};

const dropClass = (district: District, sourceId: string) => {
  district.classes = district.classes.filter((klass) => klass.sourceId !== sourceId);
  district.enrolments = district.enrolments.filter((enrolment) => enrolment.classSourceId !== sourceId);
};

async function problemsOf(h: SyncHarness, run: RunOutcome): Promise<string[]> {
  return (await h.database.db.select().from(syncProblems).where(eq(syncProblems.runId, run.runId))).map((problem) => problem.message);
}

async function itemsOf(h: SyncHarness, run: RunOutcome) {
  return h.database.db.select().from(syncRunItems).where(eq(syncRunItems.runId, run.runId));
}

const cases: Case[] = [
  {
    name: "a leaver with removal off is Desynced, stays active, keeps its classes, and loses its link",
    change: (d) => void dropLearner(d, 0),
    check: async (h, run) => {
      expect(run.counts!.learners.Desynced).toBe(1);
      expect(await h.count("learners", "status = 'active'")).toBe(20);
      expect(await h.count("source_links", "entity = 'learner'")).toBe(19);
      expect((await itemsOf(h, run)).find((item) => item.entity === "learner")?.action).toBe("unlink");
    },
  },
  {
    name: "a leaver with removal on (deactivate) is deactivated, loses its enrolments and access",
    initial: { allowRemoval: true, removalMode: "deactivate" },
    change: (d) => void dropLearner(d, 0),
    check: async (h, run) => {
      expect(run.counts!.learners.Desynced).toBe(1);
      expect(run.counts!.enrolments.Desynced).toBe(1);
      expect(await h.count("learners", "status = 'inactive' and not has_access")).toBe(1);
      expect(await h.count("enrolments")).toBe(19);
    },
  },
  {
    name: "a leaver with removal on (remove) is marked removed, recoverable until the purge",
    initial: { allowRemoval: true, removalMode: "remove" },
    change: (d) => void dropLearner(d, 0),
    check: async (h) => {
      expect(await h.count("learners", "status = 'removed'")).toBe(1);
      expect(await h.count("learners")).toBe(20);
    },
  },
  {
    name: "a learner moved outside the chosen grades is Desynced",
    initial: { scope: { kind: "grades", grades: ["Kindergarten", "1"] } },
    change: (d) => {
      // Learner 2 is in grade 1 at school 1; the school moves them up to grade 2.
      const learner = d.learners[2]!;
      expect(learner.yearGroup!.code).toBe("1");
      learner.yearGroup = { code: "2", label: "2" };
      d.enrolments.find((enrolment) => enrolment.personSourceId === learner.sourceId)!.classSourceId = "cls-sch-1-2";
    },
    check: async (h, run) => {
      expect(run.counts!.learners.Desynced).toBe(1);
      expect(run.counts!.learners.Unchanged).toBe(7);
      expect(await h.count("learners")).toBe(8);
    },
  },
  {
    name: "a renamed class keeps the admin's name when overrides are allowed",
    initial: { allowClassNameOverride: true },
    between: (h) =>
      execute(
        h,
        `update classes set name_override = 'Ms Lee''s Tigers' where name = 'Homeroom 1' and school_id in (select entity_id from source_links where source_id = 'sch-1')`,
      ),
    change: (d) => {
      d.classes.find((klass) => klass.sourceId === "cls-sch-1-1")!.name = "Grade 1 Homeroom";
    },
    check: async (h, run) => {
      expect(run.counts!.classes.Synced).toBe(1);
      expect(await h.count("classes", "name = 'Grade 1 Homeroom' and name_override = 'Ms Lee''s Tigers'")).toBe(1);
    },
  },
  {
    name: "a renamed class takes the roster's name when overrides are not allowed",
    initial: { allowClassNameOverride: false },
    between: (h) => execute(h, `update classes set name_override = 'Tigers' where name = 'Homeroom 1'`),
    change: (d) => {
      d.classes.find((klass) => klass.sourceId === "cls-sch-1-1")!.name = "Grade 1 Homeroom";
    },
    check: async (h) => {
      expect(await h.count("classes", "name = 'Grade 1 Homeroom' and name_override is null")).toBe(1);
      // The other school's renamed-by-admin class is also brought back to the roster's name.
      expect(await h.count("classes", "name_override is not null")).toBe(0);
    },
  },
  {
    name: "a class that leaves the roster with removal on is deactivated and emptied",
    initial: { allowRemoval: true },
    change: (d) => dropClass(d, "cls-sch-2-Kindergarten"),
    check: async (h, run) => {
      expect(run.counts!.classes.Desynced).toBe(1);
      expect(await h.count("classes", "status = 'inactive'")).toBe(1);
      expect(await h.count("classes c", "status = 'inactive' and exists (select 1 from enrolments e where e.class_id = c.id)")).toBe(0);
    },
  },
  {
    name: "a class that leaves the roster with removal off keeps its members and is only unlinked",
    change: (d) => dropClass(d, "cls-sch-2-Kindergarten"),
    check: async (h, run) => {
      expect(run.counts!.classes.Desynced).toBe(1);
      expect(await h.count("classes", "status = 'active'")).toBe(12);
      expect(await h.count("source_links", "entity = 'class'")).toBe(11);
    },
  },
  {
    name: "a teacher who leaves with removal on is deactivated and leaves their class",
    initial: { allowRemoval: true },
    change: (d) => {
      d.educators = d.educators.filter((educator) => educator.sourceId !== "tch-sch-1-1");
      d.enrolments = d.enrolments.filter((enrolment) => enrolment.personSourceId !== "tch-sch-1-1");
    },
    check: async (h, run) => {
      expect(run.counts!.educators.Desynced).toBe(1);
      expect(await h.count("educators", "status = 'inactive'")).toBe(1);
      expect(await h.count("class_educators")).toBe(11);
    },
  },
  {
    name: "a verified email is never replaced by a sync",
    between: (h) => execute(h, `update learners set email_verified_at = now() where email = 'stu0@district.test'`),
    change: (d) => {
      d.learners[0]!.email = "new0@district.test";
    },
    check: async (h, run) => {
      expect(await h.count("learners", "email = 'stu0@district.test' and email_verified_at is not null")).toBe(1);
      expect(await problemsOf(h, run)).toContainEqual(expect.stringContaining("the verified address was kept"));
    },
  },
  {
    name: "a verified email stays when the school's system no longer has an address for the pupil",
    between: (h) => execute(h, `update learners set email_verified_at = now() where email = 'stu0@district.test'`),
    change: (d) => {
      d.learners[0]!.email = undefined;
    },
    check: async (h) => {
      expect(await h.count("learners", "email = 'stu0@district.test' and email_verified_at is not null")).toBe(1);
    },
  },
  {
    name: "an email on another domain is flagged and not written",
    change: (d) => {
      d.learners[1]!.email = "mum.family@gmail.test";
    },
    check: async (h, run) => {
      expect(await h.count("learners", "email like '%gmail%'")).toBe(0);
      expect(await h.count("learners", "email = 'stu1@district.test'")).toBe(1);
      expect(await problemsOf(h, run)).toContainEqual(expect.stringContaining("may be a parent's or personal address"));
    },
  },
  {
    name: "new learners get the default journey when it is licensed, and a grade placement",
    initial: { defaultJourneyProductId: "reading" },
    change: (d) => {
      // Born in March six and a half years before this school year starts: first grade (US cut-off 1 September).
      const dateOfBirth = `${schoolYearOf(new Date()) - 7}-03-15`;
      d.learners.push({
        ...d.learners[0]!,
        sourceId: "stu-new",
        givenName: "Nia",
        familyName: "Adeyemi",
        studentNumber: "SN-NEW",
        dateOfBirth,
        yearGroup: undefined,
      });
      d.enrolments.push({ classSourceId: "cls-sch-1-Kindergarten", personSourceId: "stu-new", role: "learner" });
    },
    check: async (h, run) => {
      expect(run.counts!.learners.New).toBe(1);
      expect(await h.count("learners", "journey_product_id = 'reading'")).toBe(21);
      // No year group from the source: placed from the date of birth.
      expect(await h.count("learners", "given_name = 'Nia' and grade_placement = '1'")).toBe(1);
      // Access rule: a class but no year group means no access yet.
      expect(await h.count("learners", "given_name = 'Nia' and not has_access")).toBe(1);
    },
  },
  {
    name: "an unlicensed default journey is not given",
    initial: { defaultJourneyProductId: "maths" },
    change: () => {},
    check: async (h) => {
      expect(await h.count("learners", "journey_product_id is not null")).toBe(0);
    },
  },
  {
    name: "a delta read desyncs only the tombstoned learner and leaves the rest alone",
    initial: { allowRemoval: true },
    change: (d) => {
      d.delta = { tombstones: [{ entity: "learner", sourceId: "stu-4" }] };
    },
    check: async (h, run) => {
      expect(run.counts!.learners.Desynced).toBe(1);
      expect(await h.count("learners", "status = 'active'")).toBe(19);
      expect(await h.count("classes", "status = 'active'")).toBe(12);
    },
  },
  {
    name: "a delta read that renames a class without its places keeps every member (OneRoster delta classes.csv)",
    initial: { allowRemoval: true },
    change: (d) => {
      const klass = d.classes.find((candidate) => candidate.sourceId === "cls-sch-1-1")!;
      d.delta = { classes: [{ ...klass, name: "Homeroom 1 (renamed)" }], tombstones: [] };
    },
    check: async (h, run) => {
      expect(run.status).toBe("succeeded");
      expect(run.counts!.classes.Synced).toBe(1);
      expect(run.counts!.enrolments.Desynced).toBe(0);
      expect(await h.count("enrolments")).toBe(20);
    },
  },
  {
    name: "a delta read's places join and leave one by one; the rest of the class stays, and a full read afterwards agrees",
    initial: { allowRemoval: true },
    change: (d) => {
      const klass = d.classes.find((candidate) => candidate.sourceId === "cls-sch-1-1")!;
      const other = d.classes.find((candidate) => candidate.sourceId === "cls-sch-2-1")!;
      const leaving = d.enrolments.find((place) => place.classSourceId === klass.sourceId && place.role === "learner")!;
      const moving = d.enrolments.find((place) => place.classSourceId === other.sourceId && place.role === "learner")!;
      d.delta = {
        classes: [klass],
        enrolments: [{ classSourceId: klass.sourceId, personSourceId: moving.personSourceId, role: "learner" }],
        tombstones: [{ entity: "enrolment", sourceId: "e-1", classSourceId: klass.sourceId, personSourceId: leaving.personSourceId }],
      };
      // The same change, as the next full read will see it.
      leaving.classSourceId = "gone";
      d.enrolments = d.enrolments.filter((place) => place.classSourceId !== "gone");
      d.enrolments.push({ classSourceId: klass.sourceId, personSourceId: moving.personSourceId, role: "learner" });
    },
    check: async (h, run) => {
      expect(run.counts!.enrolments).toMatchObject({ New: 1, Desynced: 1 });
      expect(await h.count("enrolments")).toBe(20);
      h.district.delta = undefined;
      const full = await h.sync();
      // The class's places were known only in part, so the full read compares them one by one (no digest shortcut), and agrees.
      expect(full.counts!.enrolments.New).toBe(0);
      expect(full.counts!.enrolments.Desynced).toBe(0);
      expect(await h.count("enrolments")).toBe(20);
    },
  },
  {
    name: "a learner who comes back after removal is restored, not duplicated",
    initial: { allowRemoval: true },
    between: async (h) => {
      const leaver = dropLearner(h.district, 3);
      await h.sync();
      h.district.learners.push(leaver);
      h.district.enrolments.push({ classSourceId: "cls-sch-2-1", personSourceId: leaver.sourceId, role: "learner" });
    },
    change: () => {},
    check: async (h, run) => {
      // The link to an inactive row is kept, so the record is Synced back to active.
      expect(run.counts!.learners.Synced).toBe(1);
      expect(await h.count("learners")).toBe(20);
      expect(await h.count("learners", "status = 'active' and has_access")).toBe(20);
    },
  },
];

async function execute(h: SyncHarness, statement: string): Promise<void> {
  await h.database.db.execute(sql.raw(statement));
}

let harness: SyncHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

for (const scenario of cases) {
  test(scenario.name, async () => {
    harness = await createSyncHarness({ learners: scenario.learners ?? 20 });
    await harness.settings({ ...scenario.initial });
    expect((await harness.sync()).status).toBe("succeeded");
    await scenario.between?.(harness);
    if (scenario.later) await harness.settings(scenario.later);
    scenario.change(harness.district);
    const run = await harness.sync();
    expect(run.status).toBe("succeeded");
    await scenario.check(harness, run);
  });
}
