/**
 * The sync engine's copy of a snapshot, kept compact so a district of a million learners
 * and five million enrolments fits in memory:
 * - learners whose fingerprint equals the one their active link holds are kept only as a
 *   source id ("unchanged"); the rest are kept whole;
 * - enrolments are columns of integers over interned source ids, not objects.
 * A store whose read failed is thrown away: the runner never plans from it.
 */
import type {
  Problem,
  SnapshotAcademicSession,
  SnapshotClass,
  SnapshotEducator,
  SnapshotEnrolment,
  SnapshotLearner,
  SnapshotSchool,
  SnapshotSink,
  Tombstone,
  YearGroup,
} from "../../roster/snapshot.ts";
import { learnerFingerprint } from "./fingerprint.ts";
import { LEARNER_FIELDS } from "../../roster/fields.ts";
import { collectIfGrown } from "../../lib/garbage-guard.ts";
import { withLength } from "../../lib/compact/grow.ts";
import { Interner } from "../../lib/compact/string-table.ts";

const ROLE_LEARNER = 0;
const ROLE_EDUCATOR = 1;

/** Enrolments as parallel typed arrays, grouped by class once reading is done. */
export class EnrolmentColumns {
  readonly classes = new Interner();
  private classIndex = new Int32Array(1024);
  private personIndex = new Int32Array(1024);
  private roles = new Uint8Array(1024);
  private primaries = new Uint8Array(1024);
  length = 0;
  private listed = 0;
  /** For membersOf: the call that last saw each (person, role). */
  private seenIn = new Float64Array(0);
  /** After group(): for class c, entries order[offsets[c]] .. order[offsets[c+1]-1]. */
  private offsets: Int32Array | undefined;
  private order: Int32Array | undefined;

  /** `people`: the store's numbering of learner and educator ids, shared with its learners. */
  constructor(readonly people: Interner) {}

  add(enrolment: SnapshotEnrolment): void {
    if (this.length === this.classIndex.length) this.grow();
    const at = this.length++;
    this.classIndex[at] = this.classes.intern(enrolment.classSourceId);
    this.personIndex[at] = this.people.intern(enrolment.personSourceId);
    this.roles[at] = enrolment.role === "educator" ? ROLE_EDUCATOR : ROLE_LEARNER;
    this.primaries[at] = enrolment.primary ? 1 : 0;
    this.offsets = undefined;
  }

  private grow(): void {
    const length = this.length + 1;
    this.classIndex = withLength(this.classIndex, length);
    this.personIndex = withLength(this.personIndex, length);
    this.roles = withLength(this.roles, length);
    this.primaries = withLength(this.primaries, length);
  }

  /** Counting sort by class: O(n), two more Int32Arrays. */
  private group(): void {
    const classCount = this.classes.size;
    const offsets = new Int32Array(classCount + 1);
    for (let i = 0; i < this.length; i++) offsets[this.classIndex[i]! + 1]!++;
    for (let c = 0; c < classCount; c++) offsets[c + 1]! += offsets[c]!;
    const cursor = offsets.slice(0, classCount);
    const order = new Int32Array(this.length);
    for (let i = 0; i < this.length; i++) order[cursor[this.classIndex[i]!]!++] = i;
    this.offsets = offsets;
    this.order = order;
  }

  /** The members of one class, deduplicated, split by role. */
  membersOf(classSourceId: string): { learners: string[]; educators: { sourceId: string; primary: boolean }[] } {
    const learners: string[] = [];
    const educators: { sourceId: string; primary: boolean }[] = [];
    const c = this.classes.get(classSourceId);
    if (c === undefined) return { learners, educators };
    if (this.listed % 16_384 === 0) collectIfGrown();
    if (!this.offsets) this.group();
    // A person listed twice in one class counts once: marked with this call's number in a
    // reused array instead of a new Set per class (a quarter of a million of them at 1M).
    const mark = ++this.listed;
    if (this.seenIn.length < this.people.size * 2) this.seenIn = new Float64Array(this.people.size * 2);
    for (let k = this.offsets![c]!; k < this.offsets![c + 1]!; k++) {
      const i = this.order![k]!;
      const person = this.personIndex[i]!;
      const key = person * 2 + this.roles[i]!;
      if (this.seenIn[key] === mark) continue;
      this.seenIn[key] = mark;
      const sourceId = this.people.values[person]!;
      if (this.roles[i] === ROLE_EDUCATOR) educators.push({ sourceId, primary: this.primaries[i] === 1 });
      else learners.push(sourceId);
    }
    return { learners, educators };
  }

  /** Every (class, person) pair of a role, for scope: calls back with interned indexes. */
  forEach(role: "learner" | "educator", visit: (classSourceId: string, personSourceId: string) => void): void {
    const wanted = role === "educator" ? ROLE_EDUCATOR : ROLE_LEARNER;
    for (let i = 0; i < this.length; i++) {
      if (this.roles[i] === wanted) visit(this.classes.values[this.classIndex[i]!]!, this.people.values[this.personIndex[i]!]!);
    }
  }
}

export interface SnapshotStoreOptions {
  /** The fingerprint of a learner whose link is active: a record with the same one is not kept. */
  knownFingerprint?: (sourceId: string) => string | undefined;
  onProgress?: (phase: string, recordsRead: number) => void;
}

/** A growing array indexed by interned id (kept dense: no holes, so no sparse storage). */
function setAt<T>(array: (T | undefined)[], index: number, value: T | undefined): void {
  while (array.length <= index) array.push(undefined);
  array[index] = value;
}

const KEPT_WHOLE = 1;
const UNCHANGED = 2;

/**
 * A learner's fields in packing order. Packed by position, not by name: the names were
 * nearly half of each packed record.
 * The source id is not packed at all: the interned id already holds it.
 */
const PACKED_FIELDS: readonly Exclude<keyof SnapshotLearner, "sourceId">[] = LEARNER_FIELDS.map((field) => field.name);

/** [fingerprint, ...fields by position]; an absent field is null, and trailing ones are left off. */
function packLearner(record: SnapshotLearner, fingerprint: string): string {
  const values: unknown[] = [fingerprint];
  for (const field of PACKED_FIELDS) values.push(record[field] ?? null);
  while (values[values.length - 1] === null) values.pop();
  return JSON.stringify(values);
}

function unpackLearner(sourceId: string, packed: string): SnapshotLearner {
  const values = JSON.parse(packed) as unknown[];
  const record: Record<string, unknown> = { sourceId };
  for (let at = 0; at < PACKED_FIELDS.length; at++) {
    const value = values[at + 1];
    if (value !== null && value !== undefined) record[PACKED_FIELDS[at]!] = value;
  }
  return record as unknown as SnapshotLearner;
}

/**
 * Every learner read, by interned source id (the same numbering as the enrolments' people,
 * so a million ids are held once): either kept whole, packed as one flat JSON string of
 * its fingerprint and field values (a fraction of the memory of the object graph; unpacked
 * when read), or unchanged (its fingerprint equals the one its active link holds: only its grade
 * is kept).
 */
export class LearnerRecords {
  private kinds = new Uint8Array(1024);
  private readonly packed: (string | undefined)[] = [];
  private readonly grades: (string | undefined)[] = [];
  /** One string per distinct grade, so a million unchanged learners share a dozen. */
  private readonly gradeSpellings = new Map<string, string>();
  private wholeCount = 0;
  private sameCount = 0;
  private unpacked = 0;
  /**
   * Each learner kept whole's year group, as a number into `yearGroupList` (0: none): apply lists
   * the year groups a run needs without unpacking a million records to find them.
   */
  private yearGroupNumbers = new Uint32Array(1024);
  private readonly yearGroupList: (YearGroup | undefined)[] = [undefined];
  private readonly yearGroupNumber = new Map<string, number>();

  constructor(private readonly ids: Interner) {}

  keep(record: SnapshotLearner, fingerprint: string): void {
    const id = this.slot(record.sourceId, KEPT_WHOLE);
    setAt(this.packed, id, packLearner(record, fingerprint));
    setAt(this.grades, id, undefined);
    this.yearGroupNumbers = withLength(this.yearGroupNumbers, id + 1);
    this.yearGroupNumbers[id] = this.numberOfYearGroup(record.yearGroup);
  }

  private numberOfYearGroup(group: YearGroup | undefined): number {
    if (!group) return 0;
    const key = `${group.code}|${group.label}`;
    let number = this.yearGroupNumber.get(key);
    if (number === undefined) {
      number = this.yearGroupList.push({ code: group.code, label: group.label }) - 1;
      this.yearGroupNumber.set(key, number);
    }
    return number;
  }

  /** The year group of a learner kept whole, as read (without unpacking the record). */
  yearGroupOf(sourceId: string): YearGroup | undefined {
    const id = this.numberOf(sourceId);
    if (id < 0 || this.kinds[id] !== KEPT_WHOLE) return undefined;
    return this.yearGroupList[this.yearGroupNumbers[id] ?? 0];
  }

  keepUnchanged(sourceId: string, grade: string | undefined): void {
    const id = this.slot(sourceId, UNCHANGED);
    setAt(this.packed, id, undefined);
    if (grade !== undefined && !this.gradeSpellings.has(grade)) this.gradeSpellings.set(grade, grade);
    setAt(this.grades, id, grade === undefined ? undefined : this.gradeSpellings.get(grade));
  }

  /** The id's number, now holding a learner of `kind` (a record read twice keeps the last). */
  private slot(sourceId: string, kind: number): number {
    const id = this.ids.intern(sourceId);
    this.kinds = withLength(this.kinds, id + 1);
    if (this.kinds[id] === KEPT_WHOLE) this.wholeCount--;
    if (this.kinds[id] === UNCHANGED) this.sameCount--;
    this.kinds[id] = kind;
    if (kind === KEPT_WHOLE) this.wholeCount++;
    else this.sameCount++;
    return id;
  }

  /** The id's number, or -1 when no learner has it (no object made: scope asks 5M times). */
  private numberOf(sourceId: string): number {
    const id = this.ids.get(sourceId);
    return id === undefined || id >= this.kinds.length ? -1 : id;
  }

  private kindOf(sourceId: string): number {
    const id = this.numberOf(sourceId);
    return id < 0 ? 0 : this.kinds[id]!;
  }

  /** A learner kept whole, unpacked (a new object each time). */
  get(sourceId: string): SnapshotLearner | undefined {
    const id = this.numberOf(sourceId);
    if (id < 0 || this.kinds[id] !== KEPT_WHOLE) return undefined;
    if (++this.unpacked % 16_384 === 0) collectIfGrown();
    return unpackLearner(sourceId, this.packed[id]!);
  }

  fingerprintOf(sourceId: string): string | undefined {
    const id = this.numberOf(sourceId);
    if (id < 0 || this.kinds[id] !== KEPT_WHOLE) return undefined;
    const value = this.packed[id]!;
    // The value starts ["<fingerprint>", and a fingerprint is base-36 digits: nothing to unescape.
    return value.slice(2, value.indexOf('"', 2));
  }

  isKeptWhole(sourceId: string): boolean {
    return this.kindOf(sourceId) === KEPT_WHOLE;
  }

  isUnchanged(sourceId: string): boolean {
    return this.kindOf(sourceId) === UNCHANGED;
  }

  has(sourceId: string): boolean {
    return this.kindOf(sourceId) !== 0;
  }

  gradeOf(sourceId: string): string | undefined {
    const id = this.numberOf(sourceId);
    if (id < 0) return undefined;
    if (this.kinds[id] === UNCHANGED) return this.grades[id];
    return this.kinds[id] === KEPT_WHOLE ? this.get(sourceId)?.yearGroup?.code : undefined;
  }

  /** Source ids of the learners kept whole, in the order their ids were first seen. */
  *keptWhole(): Generator<string> {
    yield* this.ofKind(KEPT_WHOLE);
  }

  *unchanged(): Generator<string> {
    yield* this.ofKind(UNCHANGED);
  }

  private *ofKind(kind: number): Generator<string> {
    const count = Math.min(this.kinds.length, this.ids.size);
    for (let id = 0; id < count; id++) if (this.kinds[id] === kind) yield this.ids.values[id]!;
  }

  get keptWholeCount(): number {
    return this.wholeCount;
  }
  get unchangedCount(): number {
    return this.sameCount;
  }
}

/**
 * Records kept as one flat JSON string each and unpacked when read: a quarter of a million
 * classes as object graphs (record, year groups, sessions, their strings) would be millions
 * of small objects for the collector to trace.
 */
export class PackedRecords<Record extends { sourceId: string }> {
  private readonly packed = new Map<string, string>();
  private unpacked = 0;

  set(record: Record): void {
    this.packed.set(record.sourceId, JSON.stringify(record));
  }
  get(sourceId: string): Record | undefined {
    const value = this.packed.get(sourceId);
    return value === undefined ? undefined : this.unpack(value);
  }
  has(sourceId: string): boolean {
    return this.packed.has(sourceId);
  }
  keys(): IterableIterator<string> {
    return this.packed.keys();
  }
  *[Symbol.iterator](): Generator<[string, Record]> {
    for (const [sourceId, value] of this.packed) yield [sourceId, this.unpack(value)];
  }
  private unpack(value: string): Record {
    if (++this.unpacked % 16_384 === 0) collectIfGrown();
    return JSON.parse(value) as Record;
  }
  get size(): number {
    return this.packed.size;
  }
}

export class SnapshotStore implements SnapshotSink {
  readonly schools = new Map<string, SnapshotSchool>();
  readonly academicSessions = new Map<string, SnapshotAcademicSession>();
  readonly classes = new PackedRecords<SnapshotClass>();
  readonly educators = new Map<string, SnapshotEducator>();
  /** Learner and educator source ids, numbered once for the learners and the enrolments. */
  readonly people = new Interner();
  /** Learners kept whole (new, changed, or with no active link) or only as unchanged. */
  readonly learners = new LearnerRecords(this.people);
  readonly enrolments = new EnrolmentColumns(this.people);
  readonly tombstones: Tombstone[] = [];
  readonly problems: Problem[] = [];
  recordsRead = 0;

  constructor(private readonly options: SnapshotStoreOptions = {}) {}

  private counted(): void {
    this.recordsRead++;
    if (this.recordsRead % 50_000 === 0) this.options.onProgress?.("reading", this.recordsRead);
    if (this.recordsRead % 16_384 === 0) collectIfGrown();
  }

  school(record: SnapshotSchool): void {
    this.schools.set(record.sourceId, record);
    this.counted();
  }
  academicSession(record: SnapshotAcademicSession): void {
    this.academicSessions.set(record.sourceId, record);
    this.counted();
  }
  class(record: SnapshotClass): void {
    this.classes.set(record);
    this.counted();
  }
  educator(record: SnapshotEducator): void {
    this.educators.set(record.sourceId, record);
    this.counted();
  }
  learner(record: SnapshotLearner): void {
    const print = learnerFingerprint(record);
    if (this.options.knownFingerprint?.(record.sourceId) === print) this.learners.keepUnchanged(record.sourceId, record.yearGroup?.code);
    else this.learners.keep(record, print);
    this.counted();
  }
  enrolment(record: SnapshotEnrolment): void {
    this.enrolments.add(record);
    this.counted();
  }
  tombstone(record: Tombstone): void {
    this.tombstones.push(record);
  }
  problem(problem: Problem): void {
    this.problems.push(problem);
  }
  progress(phase: string, recordsRead: number): void {
    this.options.onProgress?.(phase, recordsRead);
  }

  get learnerCount(): number {
    return this.learners.keptWholeCount + this.learners.unchangedCount;
  }
}
