/**
 * Normal forms: the quick path for plain names gives what the full normalisation gives.
 */
import { describe, expect, test } from "bun:test";
import { dateDigits, dayNumber, normaliseName, trimmed } from "../../../src/sync/match/normalise.ts";

describe("normalised names", () => {
  test("accents, case and punctuation go; parts are kept apart by one space", () => {
    expect(normaliseName("Zoë")).toBe("zoe");
    expect(normaliseName(" García-López ")).toBe("garcia lopez");
    expect(normaliseName("O'Neil")).toBe("oneil");
  });

  test("plain letters and digits (the quick path) normalise as the full path does", () => {
    // A trailing space sends the same name down the full path, which trims it away again.
    for (const name of ["Olivia", "MUHAMMAD", "nguyen", "Year7", "x", "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"]) {
      expect(normaliseName(name)).toBe(normaliseName(`${name} `));
    }
  });
});

describe("trimmed identifiers", () => {
  test("white space at either end goes; a value without any is returned as it is", () => {
    expect(trimmed(" N-1 ")).toBe("N-1");
    expect(trimmed("N-1\t")).toBe("N-1");
    expect(trimmed("N 1")).toBe("N 1");
    expect(trimmed("")).toBe("");
  });
});

describe("dates of birth", () => {
  test("YYYY-MM-DD as its digits and a day number; space around it is allowed", () => {
    expect(dateDigits("2016-05-09")).toBe(20160509);
    expect(dateDigits(" 2016-05-09\t")).toBe(20160509);
    expect(dayNumber(20160509)).toBe(Date.UTC(2016, 4, 9) / 86_400_000);
    expect(dayNumber(19700101)).toBe(0);
    expect(dayNumber(20160301) - dayNumber(20160228)).toBe(2);
  });

  test("anything else is no date", () => {
    for (const raw of ["", undefined, null, "2016-5-9", "2016/05/09", "20160509", "2016-05-0x", "2016-05-09T00:00", "２016-05-09"])
      expect({ raw, digits: dateDigits(raw) }).toEqual({ raw, digits: -1 });
  });
});
