/**
 * Fuzzed OneRoster sets (issue 16, point 15): a valid set (the Ed-Fi 1.1 sample, with a few
 * accented names added) mutated the ways real files go wrong: cells dropped or added, random
 * bytes, NULs, byte-order marks mid-file, wrong case, repeated rows (repeated ids), files cut
 * short or emptied, Windows-1252. Each set is served from memory in small chunks of random
 * size, so chunk boundaries fall everywhere. The count of cases comes from the environment:
 * ROLLCALL_FUZZ_RUNS (reads), ROLLCALL_FUZZ_SYNC_RUNS (syncs), ROLLCALL_FUZZ_SEED.
 */
import { Readable } from "node:stream";
import fc from "fast-check";
import type { RosterFiles } from "../../src/sources/oneroster/files.ts";
import { fixtureDir, folderFiles } from "./oneroster.ts";

export const fuzzSeed = Number(process.env.ROLLCALL_FUZZ_SEED ?? 16);
export const fuzzRuns = (name: "ROLLCALL_FUZZ_RUNS" | "ROLLCALL_FUZZ_SYNC_RUNS", fallback: number) => Number(process.env[name] ?? fallback);

/** The valid set every case starts from. */
export function baseSet(): Record<string, Buffer> {
  const files = folderFiles(fixtureDir("edfi-or11"));
  // Accented names, so that re-encodings and cut characters have something to cut.
  files["users.csv"] = Buffer.from(files["users.csv"]!.toString("utf8").replace("Mary,Archer", "Marié,Ärcher").replace("Kyle,Hughes", "Kylë,Hüghes"));
  return files;
}

type Mutation =
  | { kind: "drop-cell" | "extra-cell" | "repeat-line" | "upper-line" | "lower-line" | "drop-line"; file: string; at: number }
  | { kind: "bytes"; file: string; at: number; bytes: Uint8Array }
  | { kind: "nul" | "bom" | "truncate"; file: string; at: number }
  | { kind: "empty" | "remove" | "latin1"; file: string };

const names = Object.keys(baseSet());
const position = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
const file = fc.constantFrom(...names);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constantFrom("drop-cell", "extra-cell", "repeat-line", "upper-line", "lower-line", "drop-line") as fc.Arbitrary<"drop-cell">,
    file,
    at: position,
  }),
  fc.record({ kind: fc.constant("bytes" as const), file, at: position, bytes: fc.uint8Array({ minLength: 1, maxLength: 6 }) }),
  fc.record({ kind: fc.constantFrom("nul", "bom", "truncate") as fc.Arbitrary<"nul">, file, at: position }),
  fc.record({ kind: fc.constantFrom("empty", "remove", "latin1") as fc.Arbitrary<"empty">, file }),
);

/** One to four mutations, and the chunk size files are served in. */
export const fuzzCase = fc.record({ mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }), chunk: fc.integer({ min: 1, max: 4096 }) });
export type FuzzCase = { mutations: Mutation[]; chunk: number };

function mutateLines(text: string, at: number, change: (line: string) => string[]): string {
  const lines = text.split("\n");
  const index = Math.floor(at * lines.length);
  lines.splice(index, 1, ...change(lines[index] ?? ""));
  return lines.join("\n");
}

export function applyMutations(mutations: Mutation[], files = baseSet()): Record<string, Buffer> {
  for (const mutation of mutations) {
    const bytes = files[mutation.file];
    if (!bytes) continue;
    const text = () => bytes.toString("utf8");
    const offset = "at" in mutation ? Math.floor(mutation.at * (bytes.length + 1)) : 0;
    const insert = (more: Uint8Array) => Buffer.concat([bytes.subarray(0, offset), more, bytes.subarray(offset)]);
    switch (mutation.kind) {
      case "drop-cell":
        files[mutation.file] = Buffer.from(mutateLines(text(), mutation.at, (line) => [line.split(",").slice(1).join(",")]));
        break;
      case "extra-cell":
        files[mutation.file] = Buffer.from(mutateLines(text(), mutation.at, (line) => [`${line},extra`]));
        break;
      case "repeat-line":
        files[mutation.file] = Buffer.from(mutateLines(text(), mutation.at, (line) => [line, line]));
        break;
      case "upper-line":
        files[mutation.file] = Buffer.from(mutateLines(text(), mutation.at, (line) => [line.toUpperCase()]));
        break;
      case "lower-line":
        files[mutation.file] = Buffer.from(mutateLines(text(), mutation.at, (line) => [line.toLowerCase()]));
        break;
      case "drop-line":
        files[mutation.file] = Buffer.from(mutateLines(text(), mutation.at, () => []));
        break;
      case "bytes":
        files[mutation.file] = insert(mutation.bytes);
        break;
      case "nul":
        files[mutation.file] = insert(Uint8Array.of(0));
        break;
      case "bom":
        files[mutation.file] = insert(Uint8Array.of(0xef, 0xbb, 0xbf));
        break;
      case "truncate":
        files[mutation.file] = bytes.subarray(0, offset);
        break;
      case "empty":
        files[mutation.file] = Buffer.alloc(0);
        break;
      case "remove":
        delete files[mutation.file];
        break;
      case "latin1":
        files[mutation.file] = Buffer.from(text(), "latin1");
        break;
    }
  }
  return files;
}

/** A set served from memory, each file in chunks of `chunk` bytes. */
export function memoryFiles(files: Record<string, Buffer>, chunk: number): RosterFiles {
  return {
    names: Object.keys(files),
    open: async (name) => {
      const bytes = files[name]!;
      const pieces: Buffer[] = [];
      for (let at = 0; at < bytes.length; at += chunk) pieces.push(bytes.subarray(at, at + chunk));
      return Readable.from(pieces, { objectMode: false });
    },
    close: () => {},
  };
}

/** Settles like `promise`, or rejects when it has not settled within `ms` (a hang). */
export function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: Timer | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Control characters, stray byte-order marks and U+FFFD: none may reach a stored name. */
export const UNWANTED_IN_NAMES = /[\u0000-\u001f\u007f-\u009f\ufeff\ufffd]/;
