/**
 * Schools by the row they are, or will be, linked to. Another feed of the same district (a
 * OneRoster file after Clever) names every school by another id; records are matched and
 * compared by the school's row, so the classes, educators and learners of a school matched by
 * name are matched too, and "the same school" is never shown as a change.
 */
import { diffFields, pick } from "./fields.ts";
import type { FieldChange, LinkState, PlanItem, SchoolFields } from "./types.ts";

/** A current record: the row's own school, and its school's source id when that school is linked to this source. */
interface CurrentWithSchool {
  schoolId?: string | null | undefined;
  schoolSourceId: string | null;
}

export class SchoolRows {
  readonly #planned = new Map<string, string>();

  constructor(
    private readonly links: ReadonlyMap<string, LinkState>,
    plannedSchools: readonly PlanItem<SchoolFields>[],
  ) {
    for (const { sourceId, entityId } of plannedSchools) if (sourceId && entityId) this.#planned.set(sourceId, entityId);
  }

  /** The row a school's source id is or will be linked to; a new school answers its source id, which no row shares. */
  of(schoolSourceId: string | null): string | null {
    if (schoolSourceId === null) return null;
    return this.#planned.get(schoolSourceId) ?? this.links.get(schoolSourceId)?.entityId ?? `new:${schoolSourceId}`;
  }

  ofCurrent(current: CurrentWithSchool): string | null {
    return current.schoolId ?? this.of(current.schoolSourceId);
  }

  /** The fields that differ from the current row's, a school that is the same row counting as the same. */
  changes<Fields extends { schoolSourceId: string | null }>(current: Fields & CurrentWithSchool, fields: Fields, template: Fields): FieldChange[] {
    const before = pick(current, template);
    if (this.ofCurrent(current) === this.of(fields.schoolSourceId)) before.schoolSourceId = fields.schoolSourceId;
    return diffFields(before, fields);
  }
}

/** A name as people mean it: case and runs of spaces do not count. */
export const sameNameKey = (name: string): string => name.trim().replace(/\s+/g, " ").toLowerCase();
