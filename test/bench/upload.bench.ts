/**
 * Receiving a 400 MB roster upload (issue 17, acceptance 2): the real server starts in a
 * child process on loopback (embedded mode), the demo admin signs in, and a 400 MB zip (the
 * Ed-Fi sample set plus one large stored entry, made on disk) is posted through the roster
 * source form. The server's resident memory is sampled from /proc while it receives, checks
 * and stores the file; the figure is how far it rose above where it stood before.
 *
 *   npm run bench -- upload            ROLLCALL_BENCH_UPLOAD_MB=400 to choose the size
 */
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import yazl from "yazl";
import { startEmbedded } from "../helpers/embedded.ts";
import { fixtureDir, folderFiles } from "../helpers/oneroster.ts";

const SIZE_MB = Number(process.env.ROLLCALL_BENCH_UPLOAD_MB ?? 400);
const TARGET_MB = 200;
const directory = mkdtempSync(join(tmpdir(), "rollcall-bench-upload-"));

/** A valid OneRoster zip of about `megabytes`: the sample set and a stored (uncompressed) padding entry. */
async function writeZip(path: string, megabytes: number): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const [name, contents] of Object.entries(folderFiles(fixtureDir("edfi-or11")))) zip.addBuffer(contents, name);
  const chunk = Buffer.alloc(1024 * 1024, 0x2c);
  let left = megabytes;
  const padding = new Readable({
    read() {
      this.push(left-- > 0 ? chunk : null);
    },
  });
  zip.addReadStream(padding, "padding.bin", { compress: false, size: megabytes * chunk.length });
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(path));
}

const rssMb = (pid: number) => {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB/m);
  return line ? Number(line[1]) / 1024 : Number.NaN;
};

console.log(`upload benchmark; ${new Date().toISOString().slice(0, 10)}; ${navigator.hardwareConcurrency} cores`);
const zipPath = join(directory, "district.zip");
await writeZip(zipPath, SIZE_MB);
const zipMb = statSync(zipPath).size / 1024 / 1024;

const { child, started } = await startEmbedded({ DATA_DIR: join(directory, "data"), MAX_UPLOAD_MB: String(Math.max(500, SIZE_MB + 10)) });
try {
  const origin = new URL(started.url).origin;
  const signIn = await fetch(`${started.url}/sign-in`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: origin, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email: started.email, password: started.password }),
  });
  const cookie = signIn.headers
    .getSetCookie()
    .find((header) => header.startsWith("rollcall_session="))
    ?.split(";")[0];
  if (!cookie) throw new Error(`sign-in failed with ${signIn.status}`);
  const headers = { Cookie: cookie, Origin: origin, "Sec-Fetch-Site": "same-origin" };
  // Warm the route and its page once, so the baseline includes the code that runs.
  await (await fetch(`${started.url}/settings/connection`, { headers })).text();
  await Bun.sleep(1000);
  const before = rssMb(child.pid);

  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb(child.pid));
  }, 20);
  const form = new FormData();
  form.append("file", Bun.file(zipPath), "district.zip");
  const began = performance.now();
  const response = await fetch(`${started.url}/settings/connection/oneroster`, { method: "POST", headers, body: form });
  const page = await response.text();
  const seconds = (performance.now() - began) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, rssMb(child.pid));

  const outcome =
    page.match(/<div class="notice notice-success" role="status">([^<]*)</)?.[1] ?? page.match(/<small id="oneroster-file-help">([^<]*)</)?.[1] ?? "";
  const rise = peak - before;
  console.log(`a ${zipMb.toFixed(0)} MB zip uploaded in ${seconds.toFixed(1)} s: answer ${response.status} ("${outcome.slice(0, 80)}")`);
  console.log(
    `server resident memory ${before.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB while receiving: a rise of ${rise.toFixed(0)} MB (target under ${TARGET_MB} MB: ${rise < TARGET_MB ? "met" : "NOT met"})`,
  );
  if (rise >= TARGET_MB) process.exitCode = 1;
} finally {
  child.kill();
  await child.exited;
  rmSync(directory, { recursive: true, force: true });
}
