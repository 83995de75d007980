/**
 * What leaves the roster, the same way for learners, educators and classes: in a full read,
 * every actively linked record the scoped snapshot no longer holds; in a delta read, only
 * what the source says is gone. Each becomes a Desynced item whose action follows the
 * removal setting (unlink only, unless removal is allowed).
 */
import type { Tombstone } from "../../roster/snapshot.ts";
import type { LinkState, PlanAction, PlanItem, ReconcileSettings } from "./types.ts";

export function goneSourceIds(input: {
  mode: "full" | "delta";
  links: ReadonlyMap<string, LinkState>;
  inScope: { has(sourceId: string): boolean };
  tombstones: readonly Tombstone[];
  entity: Tombstone["entity"];
}): string[] {
  if (input.mode === "full") {
    // Most links are still in scope: look at a link's status only for the ones that are not.
    const gone: string[] = [];
    for (const sourceId of input.links.keys()) if (!input.inScope.has(sourceId) && input.links.get(sourceId)!.status === "active") gone.push(sourceId);
    return gone;
  }
  return input.tombstones.filter((tombstone) => tombstone.entity === input.entity).map((tombstone) => tombstone.sourceId);
}

export function removalAction(settings: Pick<ReconcileSettings, "allowRemoval" | "removalMode">): PlanAction {
  return settings.allowRemoval ? settings.removalMode : "unlink";
}

export function desyncedItem<Fields>(action: PlanAction, sourceId: string, entityId: string, label: string): PlanItem<Fields> {
  return {
    status: "Desynced",
    action,
    sourceId,
    entityId,
    changes: action === "unlink" ? [] : [{ field: "status", before: "active", after: action === "remove" ? "removed" : "inactive" }],
    label,
  };
}
