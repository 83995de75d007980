/**
 * Nicknames (Bill = William, Beth = Elizabeth), from two vendored lists (data/NOTICE). Two
 * names are nicknames of each other when one is listed for the other, or both for the same
 * name (Bill and Will both for William).
 */
// The lists come in as module text, so matching reads no files (it stays pure: ARCHITECTURE.md, "Layering").
import carltonNorthern from "./data/carltonnorthern-names.csv" with { type: "text" };
import onyxrev from "./data/onyxrev-nicknames.csv" with { type: "text" };
import { normaliseName } from "./normalise.ts";

let groups: Map<string, Set<string>> | undefined;

function load(): Map<string, Set<string>> {
  const byName = new Map<string, Set<string>>();
  const link = (canonical: string, nickname: string) => {
    const a = normaliseName(canonical);
    const b = normaliseName(nickname);
    if (!a || !b || a === b) return;
    for (const [name, key] of [
      [a, a],
      [b, a],
    ] as const) {
      let set = byName.get(name);
      if (!set) byName.set(name, (set = new Set()));
      set.add(key);
    }
  };
  const lines = (text: string) => text.split(/\r?\n/).slice(1);
  for (const line of lines(carltonNorthern)) {
    const [name, relation, nickname] = line.split(",");
    if (relation === "has_nickname" && name && nickname) link(name, nickname);
  }
  for (const line of lines(onyxrev)) {
    const [, name, nickname] = line.split(",").map((cell) => cell.trim());
    if (name && nickname) link(name, nickname);
  }
  return byName;
}

/** The canonical names a (normalised) name belongs to. */
export function canonicalsOf(name: string): Set<string> | undefined {
  groups ??= load();
  return groups.get(name);
}

export function areNicknames(a: string, b: string): boolean {
  if (!a || !b || a === b) return false;
  return shareCanonical(canonicalsOf(a), canonicalsOf(b));
}

/** Whether two names' canonical sets meet (Bill and Will both stand for William). */
export function shareCanonical(left: Set<string> | undefined, right: Set<string> | undefined): boolean {
  if (!left || !right) return false;
  for (const key of left) if (right.has(key)) return true;
  return false;
}
