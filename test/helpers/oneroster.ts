/** OneRoster sets for tests: a folder of CSV files zipped (with yazl) the way a district would upload it. */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import yazl from "yazl";

/** Zips files (name -> contents) into a temporary .zip and returns its path. */
export async function zipFiles(files: Record<string, string | Buffer>, options: { compress?: boolean } = {}): Promise<string> {
  const zip = new yazl.ZipFile();
  for (const [name, contents] of Object.entries(files))
    zip.addBuffer(Buffer.isBuffer(contents) ? contents : Buffer.from(contents), name, { compress: options.compress ?? true });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  const path = join(mkdtempSync(join(tmpdir(), "rollcall-oneroster-")), "roster.zip");
  writeFileSync(path, Buffer.concat(chunks));
  return path;
}

/** The CSV files of a folder, by name, optionally placed under a folder inside the zip. */
export function folderFiles(directory: string, prefix = ""): Record<string, Buffer> {
  return Object.fromEntries(
    readdirSync(directory)
      .filter((name) => name.endsWith(".csv"))
      .map((name) => [`${prefix}${name}`, readFileSync(join(directory, name))]),
  );
}

export const fixtureDir = (name: string) => new URL(`../fixtures/oneroster/${name}`, import.meta.url).pathname;
