/**
 * A New learner's plan item, worked out from the snapshot store when it is read. A first
 * sync of a million learners keeps a million of these small objects instead of a million
 * field sets, labels and placements; apply reads each item a row at a time, so only the last
 * one worked out is kept.
 */
import type { SnapshotStore } from "../snapshot/store.ts";
import type { FieldChange, ItemExplanation, LearnerFields, PlanItem } from "./types.ts";

export interface NewLearnerValues {
  values: LearnerFields;
  flags: string[] | undefined;
  initial: Record<string, unknown>;
  label: string;
}

const NO_CHANGES: FieldChange[] = [];
Object.freeze(NO_CHANGES);

/**
 * What the New learners of one plan share: the store, how one is worked out, and the last
 * one worked out. Kept per plan, not per process, so a finished run's store is not held
 * (a cache held by the module would keep a million-learner store alive until the next run).
 */
export class NewLearnerSource {
  private last: { item: NewLearnerItem; values: NewLearnerValues } | undefined;

  constructor(
    readonly store: SnapshotStore,
    private readonly make: (sourceId: string) => NewLearnerValues,
  ) {}

  valuesOf(item: NewLearnerItem): NewLearnerValues {
    if (this.last?.item === item) return this.last.values;
    const values = this.make(item.sourceId);
    this.last = { item, values };
    return values;
  }
}

export class NewLearnerItem implements PlanItem<LearnerFields> {
  // Getters on the prototype, not fields on each of a million instances.
  get status(): "New" {
    return "New";
  }
  get action(): "create" {
    return "create";
  }
  get entityId(): null {
    return null;
  }
  get changes(): FieldChange[] {
    return NO_CHANGES;
  }

  constructor(
    readonly sourceId: string,
    private readonly source: NewLearnerSource,
    readonly explanation?: ItemExplanation,
  ) {}

  private worked(): NewLearnerValues {
    return this.source.valuesOf(this);
  }

  get fields(): LearnerFields {
    return this.worked().values;
  }
  get flags(): string[] | undefined {
    return this.worked().flags;
  }
  get initial(): Record<string, unknown> {
    return this.worked().initial;
  }
  get label(): string {
    return this.worked().label;
  }
  /** Its year group as its fields would give it (an empty label is the code), without working the learner out. */
  get yearGroup(): { code: string; label: string } | null {
    const group = this.source.store.learners.yearGroupOf(this.sourceId);
    return group?.code ? { code: group.code, label: group.label || group.code } : null;
  }
  get fingerprint(): string | undefined {
    return this.source.store.learners.fingerprintOf(this.sourceId);
  }
}
