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
} from "../roster/snapshot.ts";
import { learnerFingerprint } from "./fingerprint.ts";
import { StringTable } from "./string-table.ts";

/** Maps strings to dense integers and back (a typed-array table: millions of ids cost little). */
export class Interner {
  private readonly table = new StringTable();
  get values(): readonly string[] {
    return this.table.values;
  }
  intern(value: string): number {
    return this.table.intern(value);
  }
  get(value: string): number | undefined {
    const id = this.table.find(value);
    return id < 0 ? undefined : id;
  }
  get size(): number {
    return this.table.size;
  }
}

const ROLE_LEARNER = 0;
const ROLE_EDUCATOR = 1;

/** Enrolments as parallel typed arrays, grouped by class once reading is done. */
export class EnrolmentColumns {
  readonly classes = new Interner();
  readonly people = new Interner();
  private classIndex = new Int32Array(1024);
  private personIndex = new Int32Array(1024);
  private roles = new Uint8Array(1024);
  private primaries = new Uint8Array(1024);
  length = 0;
  /** After group(): for class c, entries order[offsets[c]] .. order[offsets[c+1]-1]. */
  private offsets: Int32Array | undefined;
  private order: Int32Array | undefined;

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
    const size = this.classIndex.length * 2;
    const widen = <T extends Int32Array | Uint8Array>(old: T, make: (n: number) => T): T => {
      const next = make(size);
      next.set(old);
      return next;
    };
    this.classIndex = widen(this.classIndex, (n) => new Int32Array(n));
    this.personIndex = widen(this.personIndex, (n) => new Int32Array(n));
    this.roles = widen(this.roles, (n) => new Uint8Array(n));
    this.primaries = widen(this.primaries, (n) => new Uint8Array(n));
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
    if (!this.offsets) this.group();
    const seen = new Set<number>();
    for (let k = this.offsets![c]!; k < this.offsets![c + 1]!; k++) {
      const i = this.order![k]!;
      const person = this.personIndex[i]!;
      const key = person * 2 + this.roles[i]!;
      if (seen.has(key)) continue;
      seen.add(key);
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

/**
 * Learners kept whole, packed: each as one string (its fingerprint, a tab, its JSON) instead of
 * an object graph, which takes about a third of the memory; a record is unpacked when read.
 */
export class PackedLearners {
  private readonly packed = new Map<string, string>();

  set(record: SnapshotLearner, fingerprint: string): void {
    this.packed.set(record.sourceId, `${fingerprint}\t${JSON.stringify(record)}`);
  }
  get(sourceId: string): SnapshotLearner | undefined {
    const value = this.packed.get(sourceId);
    return value === undefined ? undefined : (JSON.parse(value.slice(value.indexOf("\t") + 1)) as SnapshotLearner);
  }
  fingerprintOf(sourceId: string): string | undefined {
    const value = this.packed.get(sourceId);
    return value === undefined ? undefined : value.slice(0, value.indexOf("\t"));
  }
  has(sourceId: string): boolean {
    return this.packed.has(sourceId);
  }
  delete(sourceId: string): void {
    this.packed.delete(sourceId);
  }
  keys(): IterableIterator<string> {
    return this.packed.keys();
  }
  get size(): number {
    return this.packed.size;
  }
}

export class SnapshotStore implements SnapshotSink {
  readonly schools = new Map<string, SnapshotSchool>();
  readonly academicSessions = new Map<string, SnapshotAcademicSession>();
  readonly classes = new Map<string, SnapshotClass>();
  readonly educators = new Map<string, SnapshotEducator>();
  /** Learners kept whole (new, changed, or with no active link), with their fingerprints. */
  readonly learners = new PackedLearners();
  /** Learners whose fingerprint matched their active link: only the id and grade are kept. */
  readonly unchangedLearners = new Map<string, string | undefined>();
  readonly enrolments = new EnrolmentColumns();
  readonly tombstones: Tombstone[] = [];
  readonly problems: Problem[] = [];
  recordsRead = 0;

  constructor(private readonly options: SnapshotStoreOptions = {}) {}

  private counted(): void {
    this.recordsRead++;
    if (this.recordsRead % 50_000 === 0) this.options.onProgress?.("reading", this.recordsRead);
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
    this.classes.set(record.sourceId, record);
    this.counted();
  }
  educator(record: SnapshotEducator): void {
    this.educators.set(record.sourceId, record);
    this.counted();
  }
  learner(record: SnapshotLearner): void {
    const print = learnerFingerprint(record);
    if (this.options.knownFingerprint?.(record.sourceId) === print) {
      this.unchangedLearners.set(record.sourceId, record.yearGroup?.code);
      this.learners.delete(record.sourceId);
    } else {
      this.unchangedLearners.delete(record.sourceId);
      this.learners.set(record, print);
    }
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

  hasLearner(sourceId: string): boolean {
    return this.learners.has(sourceId) || this.unchangedLearners.has(sourceId);
  }

  gradeOf(sourceId: string): string | undefined {
    return this.learners.get(sourceId)?.yearGroup?.code ?? this.unchangedLearners.get(sourceId);
  }

  get learnerCount(): number {
    return this.learners.size + this.unchangedLearners.size;
  }
}
