/**
 * Refused form bodies are not kept: three 5 MB sign-in posts get 413 pages, and after a full
 * collection the live heap (JavaScript objects and the buffers they hold) is where it was.
 * Live memory, not resident memory: it counts what the server keeps, not what the allocator
 * or the machine happens to hold at that moment.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { heapStats } from "bun:jsc";
import { createTestApp, type TestApp } from "../helpers/app.ts";

let t: TestApp;
let server: ReturnType<typeof Bun.serve>;

beforeAll(async () => {
  t = await createTestApp();
  server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: t.app.fetch, maxRequestBodySize: 600 * 1024 * 1024 });
});
afterAll(async () => {
  await server.stop(true);
  await t.close();
});

const liveBytes = () => {
  Bun.gc(true);
  return heapStats().heapSize;
};

test("three 5 MB sign-in posts get 413 pages that say the limit, and the server keeps none of them", async () => {
  const before = liveBytes();
  for (let round = 0; round < 3; round++) {
    const response = await fetch(`http://127.0.0.1:${server.port}/sign-in`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin" },
      body: new Uint8Array(5 * 1024 * 1024).fill(97),
    });
    expect(response.status).toBe(413);
    const page = await response.text();
    expect(page).toContain("64 KB");
    expect(page).toContain("<!doctype html>");
  }
  // One body kept would be 5 MB; the margin is for the app's own first-use caches.
  const grown = liveBytes() - before;
  expect(grown).toBeLessThan(4 * 1024 * 1024);
});
