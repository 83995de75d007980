/**
 * The body limit on a real server over loopback: a sign-in POST that declares 5 MB, or streams
 * without a length, is refused with 413 while most of its body has not even been sent, so the
 * server never holds it (test/memory/form-body-limit.test.ts checks it keeps none).
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { connect, type Socket } from "node:net";
import { FORM_BODY_LIMIT_BYTES } from "../../src/routes/input.tsx";
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

/** Opens a raw connection, sends `head` and `firstBytes` of the body, and resolves with the first answer (or "" after 5 s). */
function sendPartly(head: string, firstBytes: Buffer): Promise<{ answer: string; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port!, "127.0.0.1");
    let answer = "";
    const timer = setTimeout(() => resolve({ answer, socket }), 5000);
    socket.on("error", reject);
    socket.on("data", (data) => {
      answer += data.toString("latin1");
      if (answer.includes("\r\n\r\n")) {
        clearTimeout(timer);
        resolve({ answer, socket });
      }
    });
    socket.write(head);
    socket.write(firstBytes);
  });
}

const headers = (extra: string) =>
  `POST /sign-in HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: application/x-www-form-urlencoded\r\nSec-Fetch-Site: same-origin\r\n${extra}\r\n`;

test("a 5 MB Content-Length is refused before the body arrives", async () => {
  const { answer, socket } = await sendPartly(headers(`Content-Length: ${5 * 1024 * 1024}\r\n`), Buffer.alloc(16 * 1024, "a"));
  socket.destroy();
  // 16 KB of the 5 MB were sent, and the answer is already there.
  expect(answer.startsWith("HTTP/1.1 413")).toBe(true);
  expect(answer.toLowerCase()).toContain("cache-control: no-store");
});

test("a body without a length is counted as it streams and refused at the limit", async () => {
  const chunk = Buffer.alloc(16 * 1024, "a");
  const chunks = Buffer.concat(
    Array.from({ length: (FORM_BODY_LIMIT_BYTES * 2) / chunk.length }, () =>
      Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]),
    ),
  );
  // Twice the limit, and never the closing chunk: a server that waited for the whole body would not answer.
  const { answer, socket } = await sendPartly(headers("Transfer-Encoding: chunked\r\n"), chunks);
  socket.destroy();
  expect(answer.startsWith("HTTP/1.1 413")).toBe(true);
});
