/**
 * src/main.ts in a child process, as `npm start` runs it, for tests and benchmarks that drive
 * the real server: it starts with the given environment and is ready once it prints its address.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export interface MainProcess {
  child: ReturnType<typeof Bun.spawn>;
  /** The address it printed. */
  url: string;
  /** What it printed up to and including its address. */
  output: string;
}

/** Starts the server on a free port with a fresh data directory, no scheduler, and `env` over this process's own. */
export async function startMain(env: Record<string, string>): Promise<MainProcess> {
  const main = fileURLToPath(new URL("../../src/main.ts", import.meta.url));
  const child = Bun.spawn([process.execPath, main], {
    env: { ...process.env, PORT: "0", DATA_DIR: mkdtempSync(join(tmpdir(), "rollcall-main-")), ROLLCALL_NO_SCHEDULER: "1", ...env },
    stdout: "pipe",
    stderr: "inherit",
  });
  const reader = child.stdout.getReader();
  const decoder = new TextDecoder();
  let output = "";
  while (!/listening on http:\/\/\S+/.test(output)) {
    const chunk = await reader.read();
    if (chunk.done) throw new Error(`the server ended early:\n${output}`);
    output += decoder.decode(chunk.value);
  }
  reader.releaseLock();
  // Keep reading its output, or a full pipe would stall it.
  void child.stdout.pipeTo(new WritableStream());
  return { child, url: output.match(/listening on (http:\/\/\S+)/)![1]!, output };
}
