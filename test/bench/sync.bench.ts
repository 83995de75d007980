/**
 * The sync engine against Postgres (issue 5, acceptance 5): for each size, a first full sync,
 * a no-change re-sync and a 1% change re-sync, each beside a plain COPY of the same rows into
 * the same tables, measured in this run; at 50k also a row-at-a-time Drizzle loop.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench -- sync
 *   ROLLCALL_BENCH_SIZES=500,50000 to choose sizes (default 500,50000,1000000);
 *   ROLLCALL_BENCH_LOOP=0 to leave out the row-at-a-time loop at 50k.
 *
 * A warm-up round (a small district synced and copied, not reported) runs first, so the
 * smallest size measures the work and not the first compilation of every code path: a
 * server syncs many times per process, and the COPY it is compared with ran warm too.
 */
import { bulkTransaction } from "../../src/db/bulk.ts";
import type { Database } from "../../src/db/client.ts";
import { classEducators, classes, educators, enrolments, learners, schools, sourceLinks } from "../../src/db/schema/index.ts";
import { silentLogger } from "../../src/lib/log.ts";
import { createSyncDeps } from "../../src/sync/run/deps.ts";
import { syncOrganization, type SyncDeps } from "../../src/sync/run/lifecycle.ts";
import { ENCRYPTION_KEY, freshDatabase, newOrganization, peak, rowsWrittenBy, timed } from "./sync-bench-db.ts";
import { classesOf, counts, type DistrictShape, learnerAt, readDistrict } from "./sync-district.ts";

/** Issue 21, acceptance 5, at 1M learners. */
const FIRST_SYNC_TARGET = 1.25;
const PEAK_TARGET_MB = 1536;

const sizes = (process.env.ROLLCALL_BENCH_SIZES ?? "500,50000,1000000").split(",").map(Number);

/**
 * The same rows a first sync writes, by plain COPY in one transaction. `ids` "random" gives
 * version 4 UUIDs, what a hand-written import gets from crypto.randomUUID or gen_random_uuid
 * (the yardstick); "rising" gives version 7 UUIDs in insertion order, as the sync's created
 * rows have them, to show how much of the sync's lead comes from its ids alone.
 */
async function plainCopy(database: Database, orgId: string, shape: DistrictShape, ids: "random" | "rising" = "random"): Promise<void> {
  const size = counts(shape.learners);
  const id = ids === "random" ? () => crypto.randomUUID() : () => Bun.randomUUIDv7();
  await bulkTransaction(database, async (sql) => {
    const now = new Date().toISOString();
    const schoolIds = Array.from({ length: size.schools }, id);
    const classIds = Array.from({ length: size.classes }, id);
    const educatorIds = Array.from({ length: size.educators }, id);
    const links: unknown[][] = [];
    await sql.copyIn(
      "schools",
      ["id", "org_id", "name", "status"],
      schoolIds.map((schoolId, index) => [schoolId, orgId, `School ${index}`, "active"]),
    );
    await sql.copyIn(
      "classes",
      ["id", "org_id", "school_id", "kind", "name", "grade_codes", "status"],
      classIds.map((classId, index) => [classId, orgId, schoolIds[index % size.schools], "subject_class", `Class ${index}`, ["1"], "active"]),
    );
    await sql.copyIn(
      "educators",
      ["id", "org_id", "school_id", "given_name", "family_name", "email", "status"],
      educatorIds.map((educatorId, index) => [educatorId, orgId, schoolIds[index % size.schools], "Teacher", `T${index}`, `t${index}@bench.test`, "active"]),
    );
    const learnerIds: string[] = [];
    await sql.copyIn(
      "learners",
      ["id", "org_id", "school_id", "given_name", "family_name", "date_of_birth", "gender", "email", "student_number", "has_access", "status"],
      (function* () {
        for (let index = 0; index < shape.learners; index++) {
          const learner = learnerAt(index, shape);
          const learnerId = id();
          learnerIds.push(learnerId);
          yield [
            learnerId,
            orgId,
            schoolIds[index % size.schools],
            learner.givenName,
            learner.familyName,
            learner.dateOfBirth,
            learner.gender,
            learner.email,
            learner.studentNumber,
            true,
            "active",
          ];
        }
      })(),
    );
    await sql.copyIn(
      "enrolments",
      ["org_id", "class_id", "learner_id", "created_at"],
      (function* () {
        for (let index = 0; index < shape.learners; index++)
          for (const klass of classesOf(index, size.classes)) yield [orgId, classIds[klass], learnerIds[index], now];
      })(),
    );
    await sql.copyIn(
      "class_educators",
      ["org_id", "class_id", "educator_id", "is_primary"],
      classIds.map((classId, index) => [orgId, classId, educatorIds[index % size.educators], true]),
    );
    const linkRows = function* () {
      for (const [index, learnerId] of learnerIds.entries()) yield [orgId, "oneroster", "learner", `s${index}`, learnerId, "h"];
      for (const [index, classId] of classIds.entries()) yield [orgId, "oneroster", "class", `c${index}`, classId, "h"];
      for (const [index, educatorId] of educatorIds.entries()) yield [orgId, "oneroster", "educator", `t${index}`, educatorId, "h"];
      yield* links;
    };
    await sql.copyIn("source_links", ["org_id", "source", "entity", "source_id", "entity_id", "record_hash"], linkRows());
  });
}

/**
 * What a hand-written importer does: one Drizzle insert per row. `inTransaction` wraps the
 * loop in one transaction (the kinder baseline); without it every insert commits on its own.
 */
async function drizzleLoop(database: Database, orgId: string, shape: DistrictShape, inTransaction: boolean): Promise<void> {
  const size = counts(shape.learners);
  const run = (work: (tx: Database["db"]) => Promise<void>) =>
    inTransaction ? database.db.transaction((tx) => work(tx as unknown as Database["db"])) : work(database.db);
  await run(async (tx) => {
    const schoolIds: string[] = [];
    for (let index = 0; index < size.schools; index++) {
      const [row] = await tx
        .insert(schools)
        .values({ orgId, name: `School ${index}` })
        .returning({ id: schools.id });
      schoolIds.push(row!.id);
    }
    const classIds: string[] = [];
    for (let index = 0; index < size.classes; index++) {
      const [row] = await tx
        .insert(classes)
        .values({ orgId, schoolId: schoolIds[index % size.schools], kind: "subject_class", name: `Class ${index}` })
        .returning({ id: classes.id });
      await tx.insert(sourceLinks).values({ orgId, source: "oneroster", entity: "class", sourceId: `c${index}`, entityId: row!.id, recordHash: "h" });
      classIds.push(row!.id);
    }
    const educatorIds: string[] = [];
    for (let index = 0; index < size.educators; index++) {
      const [row] = await tx
        .insert(educators)
        .values({ orgId, schoolId: schoolIds[index % size.schools], givenName: "Teacher", familyName: `T${index}` })
        .returning({ id: educators.id });
      await tx.insert(sourceLinks).values({ orgId, source: "oneroster", entity: "educator", sourceId: `t${index}`, entityId: row!.id, recordHash: "h" });
      educatorIds.push(row!.id);
    }
    for (let index = 0; index < size.classes; index++)
      await tx.insert(classEducators).values({ orgId, classId: classIds[index]!, educatorId: educatorIds[index % size.educators]!, isPrimary: true });
    for (let index = 0; index < shape.learners; index++) {
      const learner = learnerAt(index, shape);
      const [row] = await tx
        .insert(learners)
        .values({
          orgId,
          schoolId: schoolIds[index % size.schools],
          givenName: learner.givenName,
          familyName: learner.familyName,
          dateOfBirth: learner.dateOfBirth,
          gender: learner.gender,
          email: learner.email,
          studentNumber: learner.studentNumber,
        })
        .returning({ id: learners.id });
      await tx.insert(sourceLinks).values({ orgId, source: "oneroster", entity: "learner", sourceId: learner.sourceId, entityId: row!.id, recordHash: "h" });
      for (const klass of classesOf(index, size.classes)) await tx.insert(enrolments).values({ orgId, classId: classIds[klass]!, learnerId: row!.id });
    }
  });
}

const bench = await freshDatabase("sync");
const { database } = bench;
const base = createSyncDeps({ database, config: { encryptionKey: ENCRYPTION_KEY }, logger: silentLogger, appUrl: "http://localhost" });
const cell = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const ratio = (ms: number, copyMs: number) => `${(ms / copyMs).toFixed(2)}x`;

console.log(`sync benchmark on Postgres; ${new Date().toISOString().slice(0, 10)}; ${navigator.hardwareConcurrency} cores`);

/** One round at one size: first sync, no-change, 1% change, each on a new organization, and a plain COPY. */
async function measureRound(size: number, label: string) {
  const shape: DistrictShape = { learners: size };
  const orgId = await newOrganization(database, `Bench ${size} ${label}`);
  const deps: SyncDeps = { ...base, readSource: (_connection, sink) => readDistrict(shape, sink) };
  const first = await timed(() => syncOrganization(deps, { orgId, trigger: "cli" }));
  if (first.value.status !== "succeeded") throw new Error(`first sync ${first.value.status}: ${first.value.errorMessage}`);
  const firstRows = await rowsWrittenBy(database, first.value.runId);
  const noChange = await timed(() => syncOrganization(deps, { orgId, trigger: "cli" }));
  const noChangeRows = await rowsWrittenBy(database, noChange.value.runId);
  shape.renameEvery = 100;
  const changed = await timed(() => syncOrganization(deps, { orgId, trigger: "cli" }));
  const changedRows = await rowsWrittenBy(database, changed.value.runId);
  const copyOrg = await newOrganization(database, `Copy ${size} ${label}`);
  const copy = await timed(() => plainCopy(database, copyOrg, { learners: size }));
  const risingOrg = await newOrganization(database, `Rising copy ${size} ${label}`);
  const risingCopy = await timed(() => plainCopy(database, risingOrg, { learners: size }, "rising"));
  return { first, firstRows, noChange, noChangeRows, changed, changedRows, copy, risingCopy };
}

/**
 * Small districts take a fraction of a second, where one stray pause moves a ratio by half:
 * they run five rounds and report the round whose first-sync ratio is the median.
 */
const ROUNDS_UNDER = 5_000;

await measureRound(200, "warm-up");

for (const size of sizes) {
  const enrolmentCount = size * 5;
  const rounds = [];
  for (let round = 0; round < (size < ROUNDS_UNDER ? 5 : 1); round++) rounds.push(await measureRound(size, `#${round}`));
  rounds.sort((a, b) => a.first.ms / a.copy.ms - b.first.ms / b.copy.ms);
  const { first, firstRows, noChange, noChangeRows, changed, changedRows, copy, risingCopy } = rounds[Math.floor(rounds.length / 2)]!;
  const roundNote =
    rounds.length > 1 ? ` (the median of ${rounds.length} rounds; first-sync ratios ${rounds.map((r) => (r.first.ms / r.copy.ms).toFixed(2)).join(", ")})` : "";

  let loop = "";
  // The loop takes ten minutes at 50k: ROLLCALL_BENCH_LOOP=0 leaves it out.
  if (size === 50_000 && process.env.ROLLCALL_BENCH_LOOP !== "0") {
    const looped = await timed(async () => drizzleLoop(database, await newOrganization(database, `Loop ${size}`), { learners: size }, false));
    const loopedInTransaction = await timed(async () => drizzleLoop(database, await newOrganization(database, `Loop tx ${size}`), { learners: size }, true));
    loop =
      `; row-at-a-time Drizzle loop ${cell(looped.ms)} (first sync ${(looped.ms / first.ms).toFixed(1)}x faster), ` +
      `the same loop in one transaction ${cell(loopedInTransaction.ms)} (${(loopedInTransaction.ms / first.ms).toFixed(1)}x)`;
  }
  const line =
    `${size.toLocaleString("en")} learners (${enrolmentCount.toLocaleString("en")} enrolments)${roundNote}: COPY ${cell(copy.ms)}; ` +
    `first sync ${cell(first.ms)} (${ratio(first.ms, copy.ms)} COPY, ${firstRows.toLocaleString("en")} rows, ${peak(first)}); ` +
    `no-change ${cell(noChange.ms)} (${ratio(noChange.ms, copy.ms)} COPY, ${noChangeRows} rows written, ${noChange.value.counts!.learners.Unchanged.toLocaleString("en")} learners Unchanged, ${peak(noChange)}); ` +
    `1% change ${cell(changed.ms)} (${ratio(changed.ms, copy.ms)} COPY, ${changedRows} rows written for ${changed.value.counts!.learners.Synced} Synced learners, ${peak(changed)})${loop}; COPY's own peak ${copy.peakMb} MB; ` +
    `COPY with rising ids ${cell(risingCopy.ms)} (first sync ${ratio(first.ms, risingCopy.ms)} of it)`;
  console.log(line);
  if (size >= 1_000_000) {
    const met = first.ms / copy.ms <= FIRST_SYNC_TARGET && Math.max(first.peakMb, noChange.peakMb, changed.peakMb) <= PEAK_TARGET_MB;
    console.log(
      `targets at ${size.toLocaleString("en")}: first sync at most ${FIRST_SYNC_TARGET}x COPY, every step's peak at most ${PEAK_TARGET_MB} MB: ${met ? "met" : "NOT met"}`,
    );
  }
}
await bench.drop();
