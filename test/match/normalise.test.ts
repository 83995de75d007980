/**
 * Normal forms: the quick path for plain names gives what the full normalisation gives.
 */
import { describe, expect, test } from "bun:test";
import { normaliseName, trimmed } from "../../src/sync/match/normalise.ts";

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
