/**
 * The files of a OneRoster set, from a zip (read with yauzl, streaming, never unpacked to
 * disk) or from a directory. Zip limits stop hostile files before anything is read: too big,
 * too many entries, or a compression ratio no CSV has (a zip bomb). yauzl also checks that
 * each entry inflates to exactly its declared size.
 */
import { createReadStream, readdirSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import type { Readable } from "node:stream";
import yauzl from "yauzl";
import { ReadFailed } from "../../roster/snapshot.ts";

export interface ZipLimits {
  /** The zip file itself. */
  maxZipBytes: number;
  maxEntries: number;
  /** One entry, inflated. */
  maxEntryBytes: number;
  /** All entries, inflated. */
  maxTotalBytes: number;
  /** Inflated / compressed, for entries over 1 MB. CSV compresses 5 to 20 times; bombs 1,000 times. */
  maxRatio: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxZipBytes: 500 * 1024 * 1024,
  maxEntries: 100,
  maxEntryBytes: 4 * 1024 ** 3,
  maxTotalBytes: 8 * 1024 ** 3,
  maxRatio: 100,
};

export interface RosterFiles {
  /** File names as the set holds them (at the root, or in the one folder that holds them). */
  names: string[];
  /** Why the layout is unusual, if it is (an enclosing folder). */
  layoutNote?: string | undefined;
  open(name: string): Promise<Readable>;
  close(): void;
}

const MB = 1024 * 1024;
const describe = (bytes: number) => (bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GB` : `${Math.ceil(bytes / MB)} MB`);

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false }, (error, zip) =>
      error ? reject(error) : resolve(zip),
    );
  });
}

function listEntries(zip: yauzl.ZipFile, limits: ZipLimits): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    let total = 0;
    zip.on("entry", (entry: yauzl.Entry) => {
      if (entries.length >= limits.maxEntries)
        return reject(new ReadFailed(`The zip has more than ${limits.maxEntries} files. A OneRoster zip has at most 22; check that this is the right file.`));
      if (!entry.fileName.endsWith("/")) {
        const size = entry.uncompressedSize;
        if (size > limits.maxEntryBytes)
          return reject(
            new ReadFailed(
              `${entry.fileName} would be ${describe(size)} unpacked, more than the ${describe(limits.maxEntryBytes)} allowed for one file.`,
              undefined,
              entry.fileName,
            ),
          );
        if (size > MB && size / Math.max(1, entry.compressedSize) > limits.maxRatio) {
          return reject(
            new ReadFailed(
              `${entry.fileName} is compressed ${Math.round(size / Math.max(1, entry.compressedSize))} times, far more than any real roster file. The zip was not read.`,
              undefined,
              entry.fileName,
            ),
          );
        }
        total += size;
        if (total > limits.maxTotalBytes)
          return reject(new ReadFailed(`The zip would be more than ${describe(limits.maxTotalBytes)} unpacked, more than is allowed.`));
        entries.push(entry);
      }
      zip.readEntry();
    });
    zip.on("end", () => resolve(entries));
    zip.on("error", reject);
    zip.readEntry();
  });
}

/** CSV files at the root; or, when the root has none, the ones in a single enclosing folder. */
function chooseLayout(paths: string[]): { byName: Map<string, string>; note?: string } {
  const csv = paths.filter((path) => path.toLowerCase().endsWith(".csv") && !path.startsWith("__MACOSX/"));
  const root = csv.filter((path) => !path.includes("/"));
  if (root.length || !csv.length) return { byName: new Map(root.map((path) => [path, path])) };
  const folders = new Set(csv.map((path) => path.slice(0, path.lastIndexOf("/"))));
  if (folders.size !== 1) return { byName: new Map() };
  const [folder] = folders;
  return {
    byName: new Map(csv.map((path) => [basename(path), path])),
    note: `The files are inside a folder ("${folder}") instead of at the top of the zip. They were read from there; the OneRoster standard puts them at the top.`,
  };
}

export async function openZipFiles(path: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<RosterFiles> {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new ReadFailed("The roster zip could not be found. Upload it again on the roster source page.", `missing file ${basename(path)}`);
  }
  if (size > limits.maxZipBytes) throw new ReadFailed(`The zip is ${describe(size)}, more than the ${describe(limits.maxZipBytes)} allowed.`);
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(path);
  } catch (error) {
    throw new ReadFailed("The file is not a zip that can be read. Export the roster again as a OneRoster CSV zip.", (error as Error).message);
  }
  try {
    const entries = await listEntries(zip, limits);
    const byPath = new Map(entries.map((entry) => [entry.fileName, entry]));
    const layout = chooseLayout([...byPath.keys()]);
    return {
      names: [...layout.byName.keys()],
      layoutNote: layout.note,
      open: (name) =>
        new Promise((resolve, reject) => {
          const entry = byPath.get(layout.byName.get(name) ?? "");
          if (!entry) return reject(new ReadFailed(`${name} is not in the zip.`, undefined, name));
          zip.openReadStream(entry, (error, stream) =>
            error ? reject(new ReadFailed(`${name} could not be unpacked: the zip is damaged.`, error.message, name)) : resolve(stream),
          );
        }),
      close: () => zip.close(),
    };
  } catch (error) {
    zip.close();
    if (error instanceof ReadFailed) throw error;
    throw new ReadFailed("The zip is damaged and could not be read. Export the roster again.", (error as Error).message);
  }
}

/** The CSV files of a directory (tests, and operators who unpacked a set). */
export function openDirectoryFiles(directory: string): RosterFiles {
  let names: string[];
  try {
    names = readdirSync(directory).filter((name) => name.toLowerCase().endsWith(".csv"));
  } catch {
    throw new ReadFailed(`The folder ${basename(directory)} could not be read.`);
  }
  return { names, open: async (name) => createReadStream(join(directory, name)), close: () => {} };
}
