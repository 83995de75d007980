/**
 * Uploading a OneRoster zip through the real server (Bun.serve on loopback): the body is
 * received to disk under its own limit, checked as the reader will open it, and only then
 * replaces the stored roster. Every refusal says what was wrong next to the file field and
 * leaves the previous file, byte for byte, with no temporary file behind.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { connections } from "../../src/db/schema/index.ts";
import { ROSTER_UPLOAD_PATH } from "../../src/routes/receive-upload.ts";
import { storedZipPath, uploadDirectory } from "../../src/connections/uploads.ts";
import { createOrgWithUser, createTestApp, signInAs, TEST_ORIGIN, type TestApp } from "../helpers/app.ts";
import { fixtureDir, folderFiles, zipFiles } from "../helpers/oneroster.ts";

let app: TestApp;
let server: ReturnType<typeof Bun.serve>;
let admin: { orgId: string; cookie: string };
const LIMIT_MB = 2;

beforeAll(async () => {
  app = await createTestApp({ MAX_UPLOAD_MB: String(LIMIT_MB) });
  server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: app.app.fetch });
  const org = await createOrgWithUser(app);
  admin = { orgId: org.orgId, cookie: await signInAs(app, org.email) };
}, 60_000);
afterAll(async () => {
  server.stop(true);
  await app.close();
});

const browserHeaders = () => ({ Cookie: admin.cookie, "Sec-Fetch-Site": "same-origin", Origin: TEST_ORIGIN });

async function upload(name: string, bytes: Uint8Array | Buffer) {
  const form = new FormData();
  form.append("file", new File([Buffer.from(bytes)], name, { type: "application/zip" }));
  const response = await fetch(`http://127.0.0.1:${server.port}${ROSTER_UPLOAD_PATH}`, { method: "POST", headers: browserHeaders(), body: form });
  return { status: response.status, html: await response.text() };
}

const zipOf = async (files: Record<string, string | Buffer>, options: { compress?: boolean } = {}) => readFileSync(await zipFiles(files, options));
const goodSet = () => folderFiles(fixtureDir("edfi-or11"));
const storedPath = () => storedZipPath(app.deps.config.dataDir, admin.orgId);
const leftovers = () => (existsSync(uploadDirectory(app.deps.config.dataDir)) ? readdirSync(uploadDirectory(app.deps.config.dataDir)) : []);
/** The message shown under the file field. */
const fieldMessage = (html: string) => html.match(/<small id="oneroster-file-error" class="field-error">([^<]*)<\/small>/)?.[1];

describe("uploading a roster zip", () => {
  let stored: Buffer;

  test("a good zip is stored under a name Rollcall chose, and becomes the source", async () => {
    const good = await zipOf(goodSet());
    const { status, html } = await upload("District export.zip", good);
    expect(status).toBe(200);
    expect(html).toContain("District export.zip is uploaded");
    const [row] = await app.database.db.select().from(connections).where(eq(connections.orgId, admin.orgId));
    expect(row!.details).toMatchObject({ source: "oneroster", kind: "file", path: storedPath(), fileName: "District export.zip" });
    stored = readFileSync(storedPath());
    expect(stored.equals(good)).toBe(true);
    expect(leftovers()).toEqual([]);
  });

  const refusals: [string, () => Promise<[string, Buffer]>, string][] = [
    [
      "a file that is not a zip",
      async () => ["roster.csv", Buffer.from("sourcedId,name\n1,x\n")],
      "roster.csv: This is not a zip file. Export the roster from your system as a OneRoster CSV zip.",
    ],
    ["an empty file", async () => ["empty.zip", Buffer.alloc(0)], "Choose the OneRoster zip to upload."],
    [
      "a bulk set without users.csv",
      async () => {
        const files = goodSet();
        delete files["users.csv"];
        return ["no-users.zip", await zipOf(files)];
      },
      "no-users.zip: The roster has no users.csv, so it cannot be a whole roster. Nothing was changed; export the roster again with every file.",
    ],
    [
      "a zip of other files",
      async () => ["photos.zip", await zipOf({ "photo.jpg": "not really", "notes.txt": "hello" })],
      "photos.zip: The zip holds no OneRoster files (such as users.csv, orgs.csv and enrollments.csv). Check that this is the roster export.",
    ],
    [
      "a zip whose central directory is cut off",
      async () => {
        const good = await zipOf(goodSet());
        return ["cut.zip", good.subarray(0, good.length - 40)];
      },
      "cut.zip: The file is not a zip that can be read. Export the roster again as a OneRoster CSV zip.",
    ],
    [
      "a zip bomb",
      async () => ["bomb.zip", await zipOf({ ...goodSet(), "users.csv": `sourcedId,givenName\n${"0".repeat(3 * 1024 * 1024)}` })],
      "bomb.zip: users.csv is compressed",
    ],
    [
      "a zip of too many files",
      async () => {
        const files: Record<string, string | Buffer> = goodSet();
        for (let index = 0; index < 120; index++) files[`extra${index}.csv`] = "a,b\n1,2\n";
        return ["many.zip", await zipOf(files)];
      },
      "many.zip: The zip has more than 100 files.",
    ],
  ];
  for (const [what, make, message] of refusals) {
    test(`${what} is refused next to the file field; the stored roster stays`, async () => {
      const [name, bytes] = await make();
      const { status, html } = await upload(name, bytes);
      expect(status).toBe(422);
      expect(fieldMessage(html)?.replaceAll("&#39;", "'")).toStartWith(message);
      expect(html).toContain('aria-invalid="true"');
      // Said at the top too, where the page opens, with a link down to the field.
      expect(html).toContain('The file was not used; the roster source is as it was. <a href="#oneroster-file">');
      expect(readFileSync(storedPath()).equals(stored)).toBe(true);
      expect(leftovers()).toEqual([]);
    });
  }

  test("a body over MAX_UPLOAD_MB is refused with 413 and a page that says the limit", async () => {
    const tooBig = Buffer.alloc(LIMIT_MB * 1024 * 1024 + 200 * 1024, 7);
    const { status, html } = await upload("huge.zip", tooBig);
    expect(status).toBe(413);
    expect(fieldMessage(html)).toBe(
      `The file is larger than ${LIMIT_MB} MB, the most this server accepts. Export only the schools you need, or ask whoever runs Rollcall to raise the limit.`,
    );
    expect(html).toContain("<title>Roster source · Rollcall</title>");
    expect(readFileSync(storedPath()).equals(stored)).toBe(true);
    expect(leftovers()).toEqual([]);
  });

  test("a body sent without its length is counted as it arrives and stopped at the limit", async () => {
    const boundary = "----rollcall-test-boundary";
    const chunk = Buffer.alloc(256 * 1024, 1);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0)
          controller.enqueue(
            Buffer.from(
              `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="stream.zip"\r\nContent-Type: application/zip\r\n\r\nPK\u0003\u0004`,
            ),
          );
        // 250 MB, far past the limit, if nothing stopped it.
        if (sent >= 1000) return controller.close();
        sent++;
        controller.enqueue(chunk);
      },
    });
    const response = await fetch(`http://127.0.0.1:${server.port}${ROSTER_UPLOAD_PATH}`, {
      method: "POST",
      headers: { ...browserHeaders(), "Content-Type": `multipart/form-data; boundary=${boundary}` },
      body,
    });
    expect(response.status).toBe(413);
    // Socket buffers take some megabytes more than the server reads; nowhere near all of it.
    expect(sent).toBeLessThan(400);
    expect(readFileSync(storedPath()).equals(stored)).toBe(true);
    expect(leftovers()).toEqual([]);
  });

  test("a body that is not a whole form is refused as damaged, and nothing is kept", async () => {
    const boundary = "----rollcall-test-boundary";
    const bodies = [
      "this is not multipart at all",
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.zip"\r\nContent-Type: application/zip\r\n\r\nPK\u0003\u0004 and then it stops`,
    ];
    for (const body of bodies) {
      const response = await fetch(`http://127.0.0.1:${server.port}${ROSTER_UPLOAD_PATH}`, {
        method: "POST",
        headers: { ...browserHeaders(), "Content-Type": `multipart/form-data; boundary=${boundary}` },
        body,
      });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain("arrived incomplete or damaged");
    }
    const plain = await fetch(`http://127.0.0.1:${server.port}${ROSTER_UPLOAD_PATH}`, {
      method: "POST",
      headers: { ...browserHeaders(), "Content-Type": "application/x-www-form-urlencoded" },
      body: "file=roster.zip",
    });
    expect(plain.status).toBe(422);
    expect(readFileSync(storedPath()).equals(stored)).toBe(true);
    expect(leftovers()).toEqual([]);
  });

  test("the browser's file name is display text only: never a path, always escaped", async () => {
    const traversal = await upload("../../../etc/cron.d/evil.zip", await zipOf(goodSet()));
    expect(traversal.status).toBe(200);
    expect(traversal.html).toContain("evil.zip is uploaded");
    const markup = await upload("x<img src=x onerror=alert(1)>.zip", await zipOf(goodSet()));
    expect(markup.status).toBe(200);
    expect(markup.html).not.toContain("<img src=x");
    expect(markup.html).toContain("x&lt;img src=x onerror=alert(1)&gt;.zip is uploaded");
    const [row] = await app.database.db.select().from(connections).where(eq(connections.orgId, admin.orgId));
    expect((row!.details as { path: string }).path).toBe(storedPath());
    expect(readdirSync(join(app.deps.config.dataDir, "connections", admin.orgId))).toEqual(["oneroster.zip"]);
    expect(existsSync("/etc/cron.d/evil.zip")).toBe(false);
  });
});
