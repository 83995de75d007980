/**
 * A CSV file's bytes as UTF-8 for the parser, whatever the exporter saved. OneRoster files
 * are UTF-8, and valid UTF-8 passes through untouched (checked chunk by chunk, never held
 * whole). A file that starts with a UTF-16 byte-order mark is decoded as UTF-16. Anything
 * else that is not valid UTF-8 is almost always Windows-1252 (what Excel and older SIS
 * exports write in Western Europe and the US): from the first byte that is not UTF-8 on,
 * the file is decoded as Windows-1252. The bytes before that point were plain ASCII or valid
 * UTF-8, which read the same either way, so nothing is read twice and no name gets U+FFFD.
 */
import { isAscii, isUtf8 } from "node:buffer";

export type Encoding = "utf-8" | "utf-16le" | "utf-16be" | "windows-1252";

/**
 * Where a file stopped being UTF-8: its encoding from then on, and the physical line. `whole`
 * when everything before was plain ASCII, so the whole file reads as that encoding.
 */
export interface EncodingChange {
  encoding: Exclude<Encoding, "utf-8">;
  line: number;
  whole: boolean;
}

const windows1252 = new TextDecoder("windows-1252");

/** Yields the stream's bytes as UTF-8; `onChange` is told once when the file is not UTF-8. */
export async function* asUtf8(stream: AsyncIterable<Buffer | string>, onChange: (change: EncodingChange) => void): AsyncGenerator<Buffer> {
  let encoding: Encoding | undefined;
  let utf16: TextDecoder | undefined;
  /** The start of a UTF-8 sequence cut by the chunk's end, held for the next chunk. */
  let held: Buffer = Buffer.alloc(0);
  let lines = 1;
  let ascii = true;
  for await (const piece of stream) {
    let chunk = typeof piece === "string" ? Buffer.from(piece) : piece;
    if (held.length) {
      chunk = Buffer.concat([held, chunk]);
      held = Buffer.alloc(0);
    }
    if (encoding === undefined) {
      // A byte-order mark needs its first bytes: wait for them.
      if (chunk.length < 2) {
        held = chunk;
        continue;
      }
      encoding = chunk[0] === 0xff && chunk[1] === 0xfe ? "utf-16le" : chunk[0] === 0xfe && chunk[1] === 0xff ? "utf-16be" : "utf-8";
      if (encoding !== "utf-8") {
        onChange({ encoding, line: 1, whole: true });
        utf16 = new TextDecoder(encoding);
      }
    }
    if (utf16) {
      yield Buffer.from(utf16.decode(chunk, { stream: true }));
      continue;
    }
    if (encoding === "windows-1252") {
      yield Buffer.from(windows1252.decode(chunk));
      continue;
    }
    const cut = chunk.length - incompleteTail(chunk);
    const whole = cut === chunk.length ? chunk : chunk.subarray(0, cut);
    if (isUtf8(whole)) {
      held = Buffer.from(chunk.subarray(cut));
      lines += countLines(whole);
      ascii &&= isAscii(whole);
      yield whole;
      continue;
    }
    const bad = firstInvalidUtf8(chunk);
    encoding = "windows-1252";
    onChange({ encoding, line: lines + countLines(chunk.subarray(0, bad)), whole: ascii && isAscii(chunk.subarray(0, bad)) });
    if (bad > 0) yield chunk.subarray(0, bad);
    yield Buffer.from(windows1252.decode(chunk.subarray(bad)));
  }
  if (utf16) {
    const rest = utf16.decode();
    if (rest) yield Buffer.from(rest);
  } else if (held.length) {
    // The file ends inside a UTF-8 sequence: those last bytes are not UTF-8.
    if (isUtf8(held)) {
      yield held;
    } else {
      onChange({ encoding: "windows-1252", line: lines, whole: ascii });
      yield Buffer.from(windows1252.decode(held));
    }
  }
}

function countLines(bytes: Uint8Array): number {
  let count = 0;
  for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) count++;
  return count;
}

/** How many bytes at the end start a UTF-8 sequence that the next chunk completes (0 to 3). */
function incompleteTail(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back]!;
    if (byte < 0x80) return 0;
    if (byte >= 0xc0) return sequenceLength(byte) > back ? back : 0;
  }
  return 0;
}

/** The length a lead byte announces; 0 for a byte that cannot start a sequence. */
function sequenceLength(lead: number): number {
  return lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
}

/** The offset of the first byte that is not part of a valid UTF-8 sequence (as isUtf8 judges). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let at = 0;
  while (at < bytes.length) {
    const lead = bytes[at]!;
    const length = sequenceLength(lead);
    if (length === 0 || at + length > bytes.length) return at;
    // The second byte's range excludes overlong forms, surrogates and code points past U+10FFFF.
    const second = bytes[at + 1] ?? 0;
    const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
    if (length > 1 && (second < low || second > high)) return at;
    for (let next = 2; next < length; next++) if ((bytes[at + next]! & 0xc0) !== 0x80) return at;
    at += length;
  }
  return bytes.length;
}
