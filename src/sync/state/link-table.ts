/**
 * An organization's links for one source and entity (source id -> row id, fingerprint,
 * status), read by every run. A Map would hold an object, a key string and a 36-character row
 * id per link; here the source ids are interned once, each row id is kept as its 16 bytes and
 * the status as one. Lookups build the small LinkState a caller asks for; everything that
 * reads links sees a ReadonlyMap.
 */
import type { LinkState } from "../reconcile/types.ts";
import { withLength } from "../../lib/compact/grow.ts";
import { readUuid, writeUuid } from "../../lib/compact/row-ids.ts";
import { StringTable } from "../../lib/compact/string-table.ts";

const STATUSES = ["active", "inactive", "removed", "archived"] as const satisfies readonly LinkState["status"][];

export class LinkTable implements ReadonlyMap<string, LinkState> {
  private sourceIds: StringTable;
  /** Each row id as four 32-bit words. */
  private entityIds: Uint32Array<ArrayBuffer>;
  private statuses: Uint8Array<ArrayBuffer>;
  private readonly fingerprints: string[] = [];

  constructor(expected = 256) {
    this.sourceIds = new StringTable(expected);
    this.entityIds = new Uint32Array(Math.max(expected, 16) * 4);
    this.statuses = new Uint8Array(Math.max(expected, 16));
  }

  /** Adds or replaces the link of `sourceId`. */
  set(sourceId: string, link: LinkState): this {
    const entry = this.sourceIds.intern(sourceId);
    this.statuses = withLength(this.statuses, entry + 1);
    this.entityIds = withLength(this.entityIds, (entry + 1) * 4);
    if (!writeUuid(this.entityIds, entry, link.entityId)) throw new Error(`link for ${sourceId}: the row id is not a UUID`);
    const status = STATUSES.indexOf(link.status);
    if (status < 0) throw new Error(`link for ${sourceId}: unknown status ${link.status}`);
    this.statuses[entry] = status;
    this.fingerprints[entry] = link.fingerprint;
    return this;
  }

  get(sourceId: string): LinkState | undefined {
    const entry = this.sourceIds.find(sourceId);
    return entry < 0 ? undefined : this.linkAt(entry);
  }

  has(sourceId: string): boolean {
    return this.sourceIds.find(sourceId) >= 0;
  }

  /** The fingerprint of an active link (what "Unchanged" is judged by), without building the link. */
  activeFingerprint(sourceId: string): string | undefined {
    const entry = this.sourceIds.find(sourceId);
    return entry >= 0 && this.statuses[entry] === 0 ? this.fingerprints[entry] : undefined;
  }

  get size(): number {
    return this.sourceIds.size;
  }

  /** How many links lead to an active row: the records this source keeps in sync. */
  get activeCount(): number {
    let active = 0;
    for (let entry = 0; entry < this.size; entry++) if (this.statuses[entry] === 0) active++;
    return active;
  }

  *entries(): MapIterator<[string, LinkState]> {
    for (let entry = 0; entry < this.size; entry++) yield [this.sourceIds.values[entry]!, this.linkAt(entry)];
  }

  *keys(): MapIterator<string> {
    for (let entry = 0; entry < this.size; entry++) yield this.sourceIds.values[entry]!;
  }

  *values(): MapIterator<LinkState> {
    for (let entry = 0; entry < this.size; entry++) yield this.linkAt(entry);
  }

  [Symbol.iterator](): MapIterator<[string, LinkState]> {
    return this.entries();
  }

  forEach(visit: (link: LinkState, sourceId: string, map: ReadonlyMap<string, LinkState>) => void): void {
    for (const [sourceId, link] of this.entries()) visit(link, sourceId, this);
  }

  /** Forgets every link: a finished run lets go of its links this way. */
  clear(): void {
    this.sourceIds = new StringTable();
    this.entityIds = new Uint32Array(16 * 4);
    this.statuses = new Uint8Array(16);
    this.fingerprints.length = 0;
  }

  private linkAt(entry: number): LinkState {
    return { entityId: readUuid(this.entityIds, entry), fingerprint: this.fingerprints[entry]!, status: STATUSES[this.statuses[entry]!]! };
  }
}
