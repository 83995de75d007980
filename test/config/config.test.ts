import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError, loadConfig } from "../../src/config.ts";

const tempDir = () => mkdtempSync(join(tmpdir(), "rollcall-config-"));

describe("configuration", () => {
  test("embedded mode generates secrets once and keeps them", () => {
    const dataDir = tempDir();
    const first = loadConfig({ DATA_DIR: dataDir });
    const second = loadConfig({ DATA_DIR: dataDir });
    expect(first.embedded).toBe(true);
    expect(first.encryptionKey).toMatch(/^[0-9a-f]{64}$/);
    expect(second.sessionSecret).toBe(first.sessionSecret);
    expect(second.encryptionKey).toBe(first.encryptionKey);
    expect(existsSync(join(dataDir, "secrets.json"))).toBe(true);
  });

  test("the container image requires DATABASE_URL", () => {
    expect(() => loadConfig({ ROLLCALL_REQUIRE_DATABASE_URL: "1", DATA_DIR: tempDir() })).toThrow(/^DATABASE_URL is required/);
  });

  test("with DATABASE_URL the secrets are required", () => {
    expect(() => loadConfig({ DATABASE_URL: "postgres://localhost/x", DATA_DIR: tempDir() })).toThrow("SESSION_SECRET is required");
  });

  test("the Clever app is the operator's: both credentials, with a stand-in's addresses when given", () => {
    const dataDir = tempDir();
    expect(loadConfig({ DATA_DIR: dataDir }).vendors.clever).toBeUndefined();
    expect(
      loadConfig({
        DATA_DIR: dataDir,
        CLEVER_CLIENT_ID: "app",
        CLEVER_CLIENT_SECRET: "s3cret",
        CLEVER_API_URL: "https://clever.test",
        CLEVER_OAUTH_URL: "https://auth.clever.test",
      }).vendors.clever,
    ).toEqual({ clientId: "app", clientSecret: "s3cret", apiUrl: "https://clever.test", oauthUrl: "https://auth.clever.test" });
    expect(() => loadConfig({ DATA_DIR: dataDir, CLEVER_CLIENT_ID: "app" })).toThrow(/^CLEVER_CLIENT_SECRET is required with CLEVER_CLIENT_ID/);
    expect(() => loadConfig({ DATA_DIR: dataDir, CLEVER_CLIENT_SECRET: "s3cret" })).toThrow(/^CLEVER_CLIENT_ID is required with CLEVER_CLIENT_SECRET/);
  });

  test("SYNC_CONCURRENCY bounds how many syncs a process runs at once: 2 unless given, and a bad value says what it must be", () => {
    const dataDir = tempDir();
    expect(loadConfig({ DATA_DIR: dataDir }).syncConcurrency).toBe(2);
    expect(loadConfig({ DATA_DIR: dataDir, SYNC_CONCURRENCY: "5" }).syncConcurrency).toBe(5);
    expect(() => loadConfig({ DATA_DIR: dataDir, SYNC_CONCURRENCY: "0" })).toThrow("SYNC_CONCURRENCY must be at least 1");
    expect(() => loadConfig({ DATA_DIR: dataDir, SYNC_CONCURRENCY: "lots" })).toThrow("SYNC_CONCURRENCY must be a whole number from 1 to 64");
    expect(() => loadConfig({ DATA_DIR: dataDir, SYNC_CONCURRENCY: "1.5" })).toThrow("SYNC_CONCURRENCY must be a whole number from 1 to 64");
    expect(() => loadConfig({ DATA_DIR: dataDir, SYNC_CONCURRENCY: "100" })).toThrow("SYNC_CONCURRENCY must be at most 64");
  });

  test("the Wonde app's token is the operator's, with a stand-in's address when given", () => {
    const dataDir = tempDir();
    expect(loadConfig({ DATA_DIR: dataDir }).vendors.wonde).toBeUndefined();
    expect(loadConfig({ DATA_DIR: dataDir, WONDE_APP_TOKEN: "t0ken", WONDE_API_URL: "https://wonde.test/v1.0" }).vendors.wonde).toEqual({
      token: "t0ken",
      apiUrl: "https://wonde.test/v1.0",
    });
    expect(() => loadConfig({ DATA_DIR: dataDir, WONDE_API_URL: "https://wonde.test/v1.0" })).toThrow(/^WONDE_APP_TOKEN is required/);
  });

  for (const [name, value] of [
    ["WONDE_API_URL", "wonde.test"],
    ["CLEVER_API_URL", "api.clever.com"],
    ["PORT", "eighty"],
    ["DATABASE_URL", "mysql://localhost/db"],
    ["PUBLIC_URL", "not a url"],
    ["ENCRYPTION_KEY", "short"],
    ["OFF_PEAK_START", "25:00"],
    ["SESSION_SECRET", "too-short"],
    ["SYNC_CONCURRENCY", "two"],
  ] as const) {
    test(`a bad ${name} is one line naming it`, () => {
      let error: unknown;
      try {
        loadConfig({ DATA_DIR: tempDir(), [name]: value });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message.startsWith(name)).toBe(true);
      expect(message).not.toContain("\n");
    });
  }

  for (const [name, value, secret] of [
    ["DATABASE_URL", "postgres://rollcall:Pa55-Hunter-Secret@db.internal:notaport/rollcall", "Pa55-Hunter-Secret"],
    ["DATABASE_URL", "mysql://rollcall:Pa55-Hunter-Secret@db.internal/rollcall", "Pa55-Hunter-Secret"],
    ["SESSION_SECRET", "hunter2-session", "hunter2-session"],
    ["ENCRYPTION_KEY", "zz-not-hex-but-secret-zz", "zz-not-hex-but-secret-zz"],
  ] as const) {
    test(`a bad ${name} is named, and its value is never printed`, () => {
      let message = "";
      try {
        loadConfig({ DATA_DIR: tempDir(), [name]: value });
      } catch (caught) {
        expect(caught).toBeInstanceOf(ConfigError);
        message = (caught as Error).message;
      }
      expect(message.startsWith(name)).toBe(true);
      expect(message).not.toContain(secret);
    });
  }

  test("a database that cannot be reached stops start-up naming DATABASE_URL, without its password", () => {
    const main = fileURLToPath(new URL("../../src/main.ts", import.meta.url));
    // Port 1 on this machine: nothing listens, so the connection is refused at once.
    const env = {
      ...process.env,
      DATABASE_URL: "postgres://rollcall:Pa55-Hunter-Secret@127.0.0.1:1/rollcall",
      SESSION_SECRET: "s".repeat(40),
      ENCRYPTION_KEY: "ab".repeat(32),
      DATA_DIR: tempDir(),
      ROLLCALL_NO_SCHEDULER: "1",
    };
    const child = Bun.spawnSync([process.execPath, main], { env, timeout: 30_000 });
    const output = `${child.stdout.toString()}${child.stderr.toString()}`;
    expect(child.exitCode).toBe(1);
    expect(child.stderr.toString().trim().split("\n")).toHaveLength(1);
    expect(output).toContain("DATABASE_URL");
    expect(output).not.toContain("Pa55-Hunter-Secret");
  });

  test("start-up stops with one line on stderr and exit code 1", () => {
    const main = fileURLToPath(new URL("../../src/main.ts", import.meta.url));
    const child = Bun.spawnSync([process.execPath, main], { env: { ...process.env, DATABASE_URL: "", PORT: "eighty", DATA_DIR: tempDir() } });
    const stderr = child.stderr.toString().trim();
    expect(child.exitCode).toBe(1);
    expect(stderr.split("\n")).toHaveLength(1);
    expect(stderr).toContain("PORT");
  });

  test("the generated secrets file is readable only by its owner", () => {
    const dataDir = tempDir();
    loadConfig({ DATA_DIR: dataDir });
    expect(readFileSync(join(dataDir, "secrets.json"), "utf8")).toContain("encryptionKey");
    expect(statSync(join(dataDir, "secrets.json")).mode & 0o077).toBe(0);
  });
});
