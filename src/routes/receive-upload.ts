/**
 * Receives one file of a multipart form straight to disk, counting bytes as they come, so a
 * 500 MB upload never sits in memory (Hono's parseBody would hold all of it). The body is
 * read from the request's stream with backpressure and parsed by @fastify/busboy; the file
 * goes to a temporary file with a generated name in the given directory. A body over the
 * limit stops being read at the limit and leaves nothing behind.
 */
import { once } from "node:events";
import { createWriteStream, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import Busboy, { type BusboyFileStream } from "@fastify/busboy";

/** The one route that receives a file: a OneRoster zip, streamed past the form body limit. */
export const ROSTER_UPLOAD_PATH = "/settings/connection/oneroster";

export type Received =
  /** `name` is what the browser called the file: display text only, never a path. */
  | { kind: "file"; path: string; name: string; bytes: number }
  | { kind: "no-file" }
  | { kind: "too-large" }
  | { kind: "not-a-form" }
  /** A multipart body that does not parse: cut off before its final boundary, or damaged. */
  | { kind: "damaged" };

const COLLECT_EVERY_BYTES = 32 * 1024 * 1024;

/** Room for the multipart boundaries and part headers around the file itself. */
const FORM_OVERHEAD_BYTES = 64 * 1024;

export interface ReceiveOptions {
  /** Where the temporary file is written (on the same disk as where it will be kept). */
  directory: string;
  /** The form field that holds the file. */
  field: string;
  maxBytes: number;
}

/** Whether a request says, before sending it, that its body is over the limit. */
export function declaresTooLarge(request: Request, maxBytes: number): boolean {
  const length = Number(request.headers.get("content-length") ?? "");
  return Number.isFinite(length) && length > maxBytes + FORM_OVERHEAD_BYTES;
}

/** A promise that may fail before it is awaited (a broken form, a cut-off body): not an unhandled rejection. */
function awaitedLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}

export async function receiveUpload(request: Request, options: ReceiveOptions): Promise<Received> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;.*boundary=/i.test(contentType) || !request.body) return { kind: "not-a-form" };
  if (declaresTooLarge(request, options.maxBytes)) return { kind: "too-large" };

  mkdirSync(options.directory, { recursive: true });
  const path = join(options.directory, `upload-${crypto.randomUUID()}.partial`);
  const parser = Busboy({
    headers: { "content-type": contentType },
    limits: { files: 1, fileSize: options.maxBytes, fields: 20, fieldSize: 4096, parts: 30, headerPairs: 20 },
  });
  let file: { name: string; written: Promise<void>; stream: BusboyFileStream } | undefined;
  let tooLarge = false;
  parser.on("file", (field, stream, filename) => {
    if (field !== options.field || file) {
      stream.resume();
      return;
    }
    stream.on("limit", () => {
      tooLarge = true;
    });
    file = { name: filename, stream, written: awaitedLater(pipeline(stream, createWriteStream(path))) };
  });
  const parsed = awaitedLater(
    new Promise<void>((resolve, reject) => {
      parser.on("finish", resolve);
      parser.on("error", reject);
    }),
  );

  try {
    let total = 0;
    for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
      total += chunk.byteLength;
      if (total > options.maxBytes + FORM_OVERHEAD_BYTES || tooLarge) {
        tooLarge = true;
        break;
      }
      if (!parser.write(chunk)) await once(parser, "drain");
      // The chunks already on disk are garbage; in a process with a large heap (the embedded
      // database) the collector would otherwise let hundreds of megabytes of them pile up.
      if (Math.floor(total / COLLECT_EVERY_BYTES) !== Math.floor((total - chunk.byteLength) / COLLECT_EVERY_BYTES)) Bun.gc(false);
    }
    if (tooLarge) {
      parser.destroy();
      file?.stream.destroy();
      await file?.written.catch(() => {});
      rmSync(path, { force: true });
      return { kind: "too-large" };
    }
    parser.end();
    await parsed;
    await file?.written;
  } catch {
    parser.destroy();
    await file?.written.catch(() => {});
    rmSync(path, { force: true });
    return { kind: "damaged" };
  }
  if (!file || file.stream.bytesRead === 0) {
    rmSync(path, { force: true });
    return { kind: "no-file" };
  }
  return { kind: "file", path, name: file.name, bytes: file.stream.bytesRead };
}
