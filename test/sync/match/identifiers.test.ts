/**
 * The identifier tier on its own: pairs confirmed from hashes when identifier, birthday and
 * names are written alike, from the records when they differ only in form (nickname,
 * accents, a preferred name, spaces), never on the identifier alone; identifiers tried in
 * order of strength; an identifier several records share is weak evidence.
 */
import { describe, expect, test } from "bun:test";
import type { MatchInput } from "../../../src/sync/match/types.ts";
import { identifierPairs, TIERS } from "../../../src/sync/match/identifiers.ts";
import { Hash64 } from "../../../src/lib/compact/hash.ts";
import { KeyIndex } from "../../../src/lib/compact/key-index.ts";

const child = (id: string, fields: Partial<MatchInput> = {}): MatchInput => ({
  id,
  givenName: "William",
  familyName: "Okafor",
  dateOfBirth: "2016-05-09",
  ...fields,
});

/** Incoming id -> [existing id, tier name] for each confirmed pair. */
function pairs(incoming: MatchInput[], existing: MatchInput[]): Map<string, [string, string]> {
  const identified = identifierPairs(incoming, existing);
  const found = new Map<string, [string, string]>();
  incoming.forEach((record, row) => {
    const match = identified.existingOf[row]!;
    if (match < 0) return;
    const tier = TIERS[identified.tierOf[row]!]!;
    expect(identified.existingIds[match]).toBe(existing[match]!.id);
    found.set(record.id, [existing[match]!.id, `${tier.identifier}${tier.former ? "/former" : ""}`]);
  });
  expect(identified.count).toBe(found.size);
  return found;
}

describe("confirming a shared identifier", () => {
  test("the same identifier, birthday and names as written", () => {
    expect(pairs([child("in", { studentNumber: "S1" })], [child("old", { studentNumber: "S1" })]).get("in")).toEqual(["old", "studentNumber"]);
  });

  test("names and birthday that differ only in form are confirmed from the records", () => {
    const forms: [Partial<MatchInput>, Partial<MatchInput>][] = [
      [{ givenName: "Bill" }, {}],
      [
        { givenName: "Zoë", familyName: "Brontë" },
        { givenName: "Zoe", familyName: "Bronte" },
      ],
      [{ givenName: "Billy-Jo" }, { preferredGivenName: "Billy-Jo" }],
      [{ familyName: "okafor" }, {}],
      [{ dateOfBirth: " 2016-05-09 " }, {}],
      [{ studentNumber: " S1 " }, {}],
    ];
    for (const [incoming, existing] of forms) {
      const found = pairs([child("in", { studentNumber: "S1", ...incoming })], [child("old", { studentNumber: "S1", ...existing })]);
      expect({ incoming, pair: found.get("in")?.[0] }).toEqual({ incoming, pair: "old" });
    }
  });

  test("never on the identifier alone: another birthday, another name, or a missing birthday", () => {
    for (const fields of [{ dateOfBirth: "2016-05-10" }, { givenName: "Wilfred" }, { familyName: "Okoro" }, { dateOfBirth: undefined }]) {
      expect(pairs([child("in", { studentNumber: "S1", ...fields })], [child("old", { studentNumber: "S1" })]).size).toBe(0);
    }
    // The fingerprint takes each field apart: the same letters split differently are not the same names.
    expect(
      pairs(
        [child("in", { studentNumber: "S1", givenName: "Ann", familyName: "eMay" })],
        [child("old", { studentNumber: "S1", givenName: "Anne", familyName: "May" })],
      ).size,
    ).toBe(0);
  });

  test("another identifier with the same birthday and names is no pair", () => {
    expect(pairs([child("in", { studentNumber: "S1" })], [child("old", { studentNumber: "S2" })]).size).toBe(0);
  });
});

describe("order and sharing", () => {
  test("a stronger identifier is tried first, and a record claimed by it is not claimed again", () => {
    const incoming = [child("by-number", { studentNumber: "S1" }), child("by-upn", { upn: "A123" })];
    const existing = [child("old", { studentNumber: "S1", upn: "A123" })];
    const found = pairs(incoming, existing);
    expect(found.get("by-upn")).toEqual(["old", "upn"]);
    expect(found.has("by-number")).toBe(false);
  });

  test("a former UPN finds the record that now has another", () => {
    expect(pairs([child("in", { upn: "A123" })], [child("old", { upn: "B456", formerUpns: ["X1", "A123"] })]).get("in")).toEqual(["old", "upn/former"]);
  });

  test("an identifier two or three records share pairs the one that confirms; four or more, none", () => {
    const sharing = (count: number) =>
      Array.from({ length: count }, (_, index) => child(`old${index}`, { studentNumber: "S1", givenName: index === count - 1 ? "William" : `Other${index}` }));
    expect(pairs([child("in", { studentNumber: "S1" })], sharing(3)).get("in")).toEqual(["old2", "studentNumber"]);
    expect(pairs([child("in", { studentNumber: "S1" })], sharing(4)).size).toBe(0);
  });

  test("each existing record is claimed once, by the first incoming record that confirms", () => {
    const found = pairs([child("first", { studentNumber: "S1" }), child("second", { studentNumber: "S1" })], [child("old", { studentNumber: "S1" })]);
    expect([...found.keys()]).toEqual(["first"]);
  });

  test("a roster without identifiers on one side pairs nothing", () => {
    expect(pairs([child("in", { studentNumber: "S1" })], [child("old")]).size).toBe(0);
    expect(pairs([child("in")], [child("old", { studentNumber: "S1" })]).size).toBe(0);
  });
});

describe("64-bit keys", () => {
  test("fields are kept apart: ('ab', 'c') and ('a', 'bc') hash differently", () => {
    const hash = new Hash64();
    const first = [hash.of("ab").add("c").low, hash.high];
    const second = [hash.of("a").add("bc").low, hash.high];
    expect(first).not.toEqual(second);
    expect([hash.of("ab").add("c").low, hash.high]).toEqual(first);
  });

  test("200,000 identifiers like a district's have 200,000 distinct hashes", () => {
    const hash = new Hash64();
    const seen = new Set<string>();
    for (let index = 0; index < 200_000; index++) {
      hash.of(`N${index}`);
      seen.add(`${hash.low}:${hash.high}`);
    }
    expect(seen.size).toBe(200_000);
  });

  test("the index finds every row after growing, counts shared keys, and lists their rows in order", () => {
    const index = new KeyIndex(2);
    const hash = new Hash64();
    const keyOf = (key: string): [number, number] => [hash.of(key).low, hash.high];
    for (let row = 0; row < 5000; row++) index.add(...keyOf(`K${row}`), row);
    index.add(...keyOf("K7"), 9000);
    index.add(...keyOf("K7"), 9001);
    expect(index.size).toBe(5000);
    expect(Array.from({ length: 5000 }, (_, row) => (row === 7 ? row : index.onlyRow(...keyOf(`K${row}`))))).toEqual(
      Array.from({ length: 5000 }, (_, row) => row),
    );
    expect(index.count(...keyOf("K7"))).toBe(3);
    expect(index.onlyRow(...keyOf("K7"))).toBe(-1);
    expect(index.rows(...keyOf("K7"))).toEqual([7, 9000, 9001]);
    expect(index.count(...keyOf("K5000"))).toBe(0);
    expect(index.rows(...keyOf("K5000"))).toEqual([]);
  });
});

describe("reading ahead", () => {
  test("a roster longer than a batch, with empty and missing fields, is read to its last row and left as it was", () => {
    const existing = Array.from({ length: 70 }, (_, row) =>
      child(`old${row}`, { studentNumber: `S${row}`, givenName: row % 5 ? `Name${row}` : "", gender: undefined, school: "" }),
    );
    const incoming = existing.map((record) => ({ ...record, id: record.id.replace("old", "in") }));
    const before = JSON.stringify(existing);
    const found = pairs(incoming, existing);
    // Rows without a given name cannot be confirmed; every other row, the last included, is.
    expect(found.size).toBe(56);
    expect(found.get("in69")).toEqual(["old69", "studentNumber"]);
    expect(JSON.stringify(existing)).toBe(before);
  });
});
