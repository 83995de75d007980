/**
 * A set of source ids numbered by an Interner: one byte per numbered id instead of a hash
 * table entry per member. Scope and reconcile keep several sets of a million learner ids
 * each, over the one numbering the snapshot store gives them.
 */
import { withLength } from "./grow.ts";
import type { Interner } from "./string-table.ts";

/** What reconcile reads of a set of source ids. */
export interface SourceIdSet extends Iterable<string> {
  has(sourceId: string): boolean;
  readonly size: number;
}

export class IdSet implements SourceIdSet {
  private members = new Uint8Array(1024);
  private count = 0;

  constructor(private readonly ids: Interner) {}

  add(sourceId: string): this {
    const id = this.ids.intern(sourceId);
    this.members = withLength(this.members, id + 1);
    if (this.members[id] === 0) {
      this.members[id] = 1;
      this.count++;
    }
    return this;
  }

  has(sourceId: string): boolean {
    const id = this.ids.get(sourceId);
    return id !== undefined && id < this.members.length && this.members[id] === 1;
  }

  get size(): number {
    return this.count;
  }

  /** Members in the order their ids were numbered. */
  *[Symbol.iterator](): Generator<string> {
    const end = Math.min(this.members.length, this.ids.size);
    for (let id = 0; id < end; id++) if (this.members[id] === 1) yield this.ids.values[id]!;
  }
}
