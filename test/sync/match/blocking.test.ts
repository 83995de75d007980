/**
 * Direct pairs: rows paired without blocking because a key is theirs alone on both sides.
 */
import { describe, expect, test } from "bun:test";
import { directPairs } from "../../../src/sync/match/blocking.ts";
import { encode, Strings } from "../../../src/sync/match/encode.ts";
import type { MatchInput } from "../../../src/sync/match/types.ts";
import { NameSimilarity } from "../../../src/sync/match/similarity.ts";

const child = (id: string, fields: Partial<MatchInput>): MatchInput => ({
  id,
  givenName: "Olivia",
  familyName: "Okafor",
  dateOfBirth: "2014-03-09",
  ...fields,
});

function direct(incoming: MatchInput[], existing: MatchInput[]) {
  const dictionaries = { names: new Strings() };
  const left = encode(incoming, dictionaries);
  const right = encode(existing, dictionaries);
  const skipIncoming = new Uint8Array(left.size);
  const skipExisting = new Uint8Array(right.size);
  const pairs = directPairs(left, right, new NameSimilarity(dictionaries.names), skipIncoming, skipExisting);
  const list = Array.from({ length: pairs.length }, (_, index) => `${incoming[pairs.incoming[index]!]!.id}>${existing[pairs.existing[index]!]!.id}`);
  return { list, skipIncoming: [...skipIncoming], skipExisting: [...skipExisting] };
}

describe("direct pairs", () => {
  test("the same names and birthday pair directly when no other record on either side has them", () => {
    const result = direct([child("in", {}), child("other", { givenName: "Ava" })], [child("old", {}), child("older", { givenName: "Mia" })]);
    expect(result.list).toEqual(["in>old"]);
    expect(result.skipIncoming).toEqual([1, 0]);
    expect(result.skipExisting).toEqual([1, 0]);
  });

  test("names and birthday held by two existing records pair nobody directly (twins or a duplicate are left to scoring)", () => {
    expect(direct([child("in", {})], [child("old", {}), child("copy", {})]).list).toEqual([]);
  });

  test("a student number in common pairs a mistyped name directly when the birthday agrees", () => {
    const result = direct(
      [child("in", { givenName: "Olvia", studentNumber: "S-1" })],
      [child("old", { studentNumber: "S-1" }), child("else", { givenName: "Mia", studentNumber: "S-2" })],
    );
    expect(result.list).toEqual(["in>old"]);
    expect(result.skipExisting).toEqual([1, 0]);
  });

  test("a student number in common with nothing else the same is no direct pair: the rows still go through blocking", () => {
    const result = direct(
      [child("in", { givenName: "Theo", familyName: "Brandt", dateOfBirth: "2011-01-02", studentNumber: "S-1" })],
      [child("old", { studentNumber: "S-1" })],
    );
    expect(result.list).toEqual([]);
    expect(result.skipIncoming).toEqual([0]);
  });

  test("a student number in common with what looks like a twin (same birthday and surname, another given name) is no direct pair", () => {
    const twin = direct([child("in", { givenName: "Ada", studentNumber: "S-2" })], [child("eve", { givenName: "Eve", studentNumber: "S-2" })]);
    expect(twin.list).toEqual([]);
    const typo = direct([child("in", { givenName: "Adah", studentNumber: "S-2" })], [child("ada", { givenName: "Ada", studentNumber: "S-2" })]);
    expect(typo.list).toEqual(["in>ada"]);
  });

  test("a student number two existing records share pairs nobody directly", () => {
    const result = direct(
      [child("in", { givenName: "Olvia", studentNumber: "S-1" })],
      [child("old", { studentNumber: "S-1" }), child("reused", { givenName: "Mia", studentNumber: "S-1" })],
    );
    expect(result.list).toEqual([]);
  });
});

describe("blocking keys from names", () => {
  test("a name's prefix and sound ids are the same each time, per prefix length, and shared only by names that share them", () => {
    const names = new Strings();
    const [oliver, olivia, amelia, smith, smyth] = ["oliver", "olivia", "amelia", "smith", "smyth"].map((name) => names.id(name));
    const similarity = new NameSimilarity(names);
    const prefix = (id: number, length: number) => [similarity.prefixId(id, length), similarity.prefixId(id, length)];
    expect(prefix(oliver!, 3)).toEqual(prefix(olivia!, 3));
    expect(prefix(oliver!, 3)[0]).toBe(prefix(oliver!, 3)[1]!);
    expect(prefix(amelia!, 3)[0]).not.toBe(prefix(oliver!, 3)[0]);
    expect(similarity.prefixId(oliver!, 5)).not.toBe(similarity.prefixId(olivia!, 5));
    // A name added after the similarity was made is still answered.
    expect(similarity.prefixId(oliver!, 5)).toBe(similarity.prefixId(names.id("olive"), 5));
    expect(similarity.soundId(smith!)).toBe(similarity.soundId(smyth!));
    expect(similarity.soundId(smith!)).toBe(similarity.soundId(smith!));
    expect(similarity.soundId(smith!)).not.toBe(similarity.soundId(amelia!));
    expect(similarity.soundId(-1)).toBe(-1);
    expect(similarity.prefixId(-1, 3)).toBe(-1);
  });
});
