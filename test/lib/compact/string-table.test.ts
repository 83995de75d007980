/**
 * The typed-array string table the matcher interns names and identifiers with: ids in the
 * order first seen, found again after the table has grown many times.
 */
import { describe, expect, test } from "bun:test";
import { Strings } from "../../../src/sync/match/encode.ts";
import { StringTable } from "../../../src/lib/compact/string-table.ts";

describe("string table", () => {
  test("numbers distinct strings in the order first seen, and finds each again after growing", () => {
    const table = new StringTable(4);
    const words = Array.from({ length: 50_000 }, (_, index) => `N${index * 7919}`);
    for (const [index, word] of words.entries()) expect(table.intern(word)).toBe(index);
    // Built afresh (not the same string objects), as a parser would give them.
    expect(words.every((word, index) => table.find(`${word.slice(0, 1)}${word.slice(1)}`) === index)).toBe(true);
    expect(table.intern("N0")).toBe(0);
    expect(table.size).toBe(50_000);
    expect(table.find("N1")).toBe(-1);
    expect(table.find("")).toBe(-1);
    expect(table.intern("")).toBe(50_000);
  });
});

describe("strings (a dictionary of normal forms)", () => {
  test("raw spellings share their normal form's id; values hold only normal forms", () => {
    const strings = new Strings();
    const lower = (value: string) => value.trim().toLowerCase();
    expect(strings.idOf("Oak Hill", lower)).toBe(0);
    expect(strings.idOf(" oak hill ", lower)).toBe(0);
    expect(strings.idOf("oak hill", lower)).toBe(0);
    expect(strings.idOf("Elm", lower)).toBe(1);
    expect(strings.id("elm")).toBe(1);
    expect(strings.idOf("", lower)).toBe(-1);
    expect(strings.idOf(undefined, lower)).toBe(-1);
    expect(strings.values).toEqual(["oak hill", "elm"]);
  });

  test("a new spelling already in normal form, and one that normalises to nothing, are each looked up again correctly", () => {
    const strings = new Strings();
    const lower = (value: string) => value.trim().toLowerCase();
    expect(strings.idOf("birch", lower)).toBe(0);
    expect(strings.idOf("BIRCH", lower)).toBe(0);
    expect(strings.idOf("   ", lower)).toBe(-1);
    expect(strings.idOf("   ", lower)).toBe(-1);
    expect(strings.idOf("Ash", lower)).toBe(1);
    expect(strings.idOf("ash", lower)).toBe(1);
    expect(strings.idOf("birch", lower)).toBe(0);
    expect(strings.values).toEqual(["birch", "ash"]);
  });
});
