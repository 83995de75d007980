/**
 * Where Rollcall may connect to read a roster: public https addresses only, unless the
 * operator allows private ones. Checked on the typed address, on every address its name
 * resolves to, on every redirect, and the connection goes to the address that was checked.
 * Servers here are real, on loopback; names are resolved by a test resolver so no request
 * leaves the machine.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ReadFailed } from "../../../src/roster/snapshot.ts";
import { readClever } from "../../../src/sources/clever/index.ts";
import { AddressRefused, checkAddress, checkResolvedAddress, fetchSource, isPublicAddress } from "../../../src/sources/http/outbound.ts";
import { readOneRosterApi } from "../../../src/sources/oneroster/rest.ts";
import { readWonde } from "../../../src/sources/wonde/index.ts";
import { CollectingSink, serve } from "../../helpers/collect.ts";

const strict = { allowPrivate: false };
const relaxed = { allowPrivate: true };

/** A loopback server that answers 200 and remembers what it was asked. */
function recorder(answer: (request: Request) => Response = () => Response.json({ ok: true })) {
  const seen: { path: string; host: string | null; authorization: string | null; method: string }[] = [];
  const server = serve((request) => {
    const url = new URL(request.url);
    seen.push({
      path: `${url.pathname}${url.search}`,
      host: request.headers.get("host"),
      authorization: request.headers.get("authorization"),
      method: request.method,
    });
    return answer(request);
  });
  return { ...server, seen, port: new URL(server.url).port };
}

const servers: { stop(): void }[] = [];
afterAll(() => {
  for (const server of servers) server.stop();
});
function started<T extends { stop(): void }>(server: T): T {
  servers.push(server);
  return server;
}

describe("which addresses are public", () => {
  const refused = [
    ["127.0.0.1", "loopback"],
    ["127.8.9.10", "loopback"],
    ["::1", "IPv6 loopback"],
    ["10.1.2.3", "RFC 1918"],
    ["172.16.0.1", "RFC 1918"],
    ["172.31.255.254", "RFC 1918"],
    ["192.168.1.1", "RFC 1918"],
    ["fd12:3456::1", "unique-local IPv6"],
    ["fc00::1", "unique-local IPv6"],
    ["169.254.10.20", "link-local"],
    ["fe80::1", "IPv6 link-local"],
    ["100.64.0.1", "CGNAT"],
    ["224.0.0.251", "multicast"],
    ["ff02::1", "IPv6 multicast"],
    ["0.0.0.0", "unspecified"],
    ["::", "IPv6 unspecified"],
    ["169.254.169.254", "cloud metadata"],
    ["fd00:ec2::254", "cloud metadata (IPv6)"],
    ["::ffff:127.0.0.1", "IPv4-mapped loopback"],
    ["::ffff:a00:1", "IPv4-mapped private, in hex"],
  ] as const;
  for (const [address, kind] of refused) {
    test(`${address} (${kind}) is refused`, () => {
      expect(isPublicAddress(address)).toBe(false);
      const host = address.includes(":") ? `[${address}]` : address;
      expect(checkAddress(`https://${host}/ims/oneroster/v1p1`, strict)).toContain("is on a private or local network");
    });
  }

  test("public addresses are allowed", () => {
    for (const address of ["8.8.8.8", "93.184.216.34", "2606:4700:4700::1111"]) expect(isPublicAddress(address)).toBe(true);
    expect(checkAddress("https://93.184.216.34/ims/oneroster/v1p1", strict)).toBeUndefined();
    expect(checkAddress("https://sis.example.org/ims/oneroster/v1p1", strict)).toBeUndefined();
  });

  test("http, other schemes, credentials in the address and metadata names are refused", () => {
    expect(checkAddress("http://sis.example.org/ims/oneroster/v1p1", strict)).toBe("The address must start with https://, so the connection is encrypted.");
    expect(checkAddress("ftp://sis.example.org/", relaxed)).toBe("The address must start with https://, so the connection is encrypted.");
    expect(checkAddress("https://user:pass@sis.example.org/", strict)).toContain("Leave the user name and password out");
    expect(checkAddress("https://metadata.google.internal/computeMetadata/v1/", strict)).toContain("is on a private or local network");
    expect(checkAddress("not an address", strict)).toBe("Enter the full address, starting with https://");
  });

  test("ALLOW_PRIVATE_SOURCE_URLS allows http and private addresses, never cloud metadata", () => {
    expect(checkAddress("http://127.0.0.1:8080/ims/oneroster/v1p1", relaxed)).toBeUndefined();
    expect(checkAddress("https://10.0.0.5/", relaxed)).toBeUndefined();
    expect(checkAddress("http://169.254.169.254/latest/meta-data/", relaxed)).toContain("is on a private or local network");
    expect(checkAddress("https://[fd00:ec2::254]/", relaxed)).toContain("is on a private or local network");
    expect(checkAddress("http://metadata.google.internal/", relaxed)).toContain("is on a private or local network");
  });

  test("a name is checked by every address it resolves to", async () => {
    const resolve = async (name: string) => (name === "mixed.example.org" ? ["93.184.216.34", "10.0.0.7"] : ["93.184.216.34"]);
    expect(await checkResolvedAddress("https://mixed.example.org/oauth/token", { ...strict, resolve })).toBe(
      "mixed.example.org leads to 10.0.0.7. That address is on a private or local network, which Rollcall does not connect to. Use the public https address your system gives for this app.",
    );
    expect(await checkResolvedAddress("https://public.example.org/oauth/token", { ...strict, resolve })).toBeUndefined();
    // A name that does not resolve now is left to the connection, which checks again.
    expect(await checkResolvedAddress("https://nowhere.invalid/", { ...strict, resolve: async () => Promise.reject(new Error("ENOTFOUND")) })).toBeUndefined();
  });
});

describe("connecting", () => {
  test("the connection goes to the address that was checked, the name kept in the Host header", async () => {
    const server = started(recorder());
    const asked: string[] = [];
    const resolve = async (name: string) => {
      asked.push(name);
      return ["127.0.0.1"];
    };
    const response = await fetchSource(
      `http://sis.test:${server.port}/ims/oneroster/v1p1/orgs?limit=5`,
      { headers: { Authorization: "Bearer t" }, source: "the OneRoster server" },
      { ...relaxed, resolve },
    );
    expect(response.status).toBe(200);
    // sis.test resolves nowhere but through the checked answer: the request reached the address that was checked.
    expect(asked).toEqual(["sis.test"]);
    expect(server.seen).toEqual([{ path: "/ims/oneroster/v1p1/orgs?limit=5", host: `sis.test:${server.port}`, authorization: "Bearer t", method: "GET" }]);
  });

  test("a name that resolves to a private address is refused before anything is sent (no rebinding)", async () => {
    const server = started(recorder());
    // Public for a check, private a moment later: the connection resolves once and uses that answer.
    let calls = 0;
    const rebinding = async () => (calls++ === 0 ? ["93.184.216.34"] : ["127.0.0.1"]);
    expect(await checkResolvedAddress(`https://rebind.example.org:${server.port}/`, { ...strict, resolve: rebinding })).toBeUndefined();
    const error = await fetchSource(
      `https://rebind.example.org:${server.port}/token`,
      { method: "POST", headers: { Authorization: "Basic c2VjcmV0" }, body: "grant_type=client_credentials", source: "the OneRoster token address" },
      { ...strict, resolve: rebinding },
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AddressRefused);
    expect((error as Error).message).toStartWith("Rollcall did not connect to the OneRoster token address. rebind.example.org leads to 127.0.0.1.");
    expect(server.seen).toEqual([]);
  });

  test("a redirect to a disallowed address is not followed", async () => {
    const inside = started(recorder());
    const outside = started(recorder(() => Response.redirect(`http://127.0.0.1:${inside.port}/latest/meta-data/`, 302)));
    // The first server is allowed as the embedded demo is (a trusted address); its redirect target is not.
    const policy = { ...strict, trustedPrefixes: [`${outside.url}/`] };
    const error = await fetchSource(`${outside.url}/v3.0/schools`, { headers: { Authorization: "Bearer t" }, source: "Clever" }, policy).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AddressRefused);
    expect(outside.seen).toHaveLength(1);
    expect(inside.seen).toEqual([]);
  });

  test("an allowed redirect is followed, its credentials dropped when it leaves the origin", async () => {
    const elsewhere = started(recorder());
    const same = started(
      recorder((request) => {
        const path = new URL(request.url).pathname;
        if (path === "/old") return Response.redirect(`${new URL(request.url).origin}/new`, 301);
        if (path === "/new") return Response.redirect(`${elsewhere.url}/landing`, 302);
        return Response.json({});
      }),
    );
    const response = await fetchSource(`${same.url}/old`, { headers: { Authorization: "Bearer t", "X-Page": "1" }, source: "Wonde" }, relaxed);
    expect(response.status).toBe(200);
    expect(same.seen.map((request) => [request.path, request.authorization])).toEqual([
      ["/old", "Bearer t"],
      ["/new", "Bearer t"],
    ]);
    expect(elsewhere.seen.map((request) => [request.path, request.authorization])).toEqual([["/landing", null]]);
  });

  test("a POST's redirect is not followed: credentials are never posted on", async () => {
    const other = started(recorder());
    const token = started(recorder(() => new Response(null, { status: 307, headers: { Location: `${other.url}/oauth/token` } })));
    const error = await readOneRosterApi(
      { baseUrl: `${token.url}/ims/oneroster/v1p1`, tokenUrl: `${token.url}/oauth/token`, clientId: "id", clientSecret: "secret" },
      new CollectingSink(),
      { addresses: relaxed },
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReadFailed);
    expect(token.seen).toHaveLength(1);
    expect(other.seen).toEqual([]);
  });

  test("an https connection to a checked address verifies the certificate against the name", async () => {
    const directory = mkdtempSync(join(tmpdir(), "rollcall-tls-"));
    writeFileSync(join(directory, "ca.pem"), CERTIFICATE);
    const server = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      tls: { cert: CERTIFICATE, key: PRIVATE_KEY },
      fetch: (request) => new Response(`host ${request.headers.get("host")}`),
    });
    servers.push({ stop: () => server.stop(true) });
    // The certificate is trusted in a child process of its own (NODE_EXTRA_CA_CERTS is read at start).
    const outbound = fileURLToPath(new URL("../../../src/sources/http/outbound.ts", import.meta.url));
    const script = join(directory, "fetch.ts");
    writeFileSync(
      script,
      `import { fetchSource } from ${JSON.stringify(outbound)};
       const policy = { allowPrivate: true, resolve: async () => ["127.0.0.1"] };
       for (const name of ["sis.test", "other.test"]) {
         try {
           const response = await fetchSource("https://" + name + ":${server.port}/orgs", { headers: {}, source: "test" }, policy);
           console.log(name, response.status, await response.text());
         } catch (error) {
           console.log(name, "refused", error.code ?? error.name);
         }
       }`,
    );
    const child = Bun.spawn([process.execPath, script], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: join(directory, "ca.pem") },
      stdout: "pipe",
      stderr: "pipe",
    });
    const output = await new Response(child.stdout).text();
    await child.exited;
    expect(output.trim().split("\n")).toEqual([`sis.test 200 host sis.test:${server.port}`, "other.test refused ERR_TLS_CERT_ALTNAME_INVALID"]);
  });
});

describe("readers refuse private addresses unless allowed", () => {
  test("OneRoster: the client secret is never posted to a private token address", async () => {
    const server = started(recorder());
    const error = await readOneRosterApi(
      { baseUrl: `${server.url}/ims/oneroster/v1p1`, tokenUrl: `${server.url}/oauth/token`, clientId: "id", clientSecret: "secret" },
      new CollectingSink(),
      { addresses: strict },
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AddressRefused);
    expect((error as Error).message).toBe(
      "Rollcall did not connect to the OneRoster token address. The address must start with https://, so the connection is encrypted. Change it on the roster source page.",
    );
    expect(server.seen).toEqual([]);
  });

  test("Clever and Wonde base address overrides are held to the same rule", async () => {
    const server = started(recorder());
    const clever = await readClever(
      { districtId: "d", clientId: "id", clientSecret: "secret", apiBaseUrl: server.url, oauthBaseUrl: server.url },
      new CollectingSink(),
      { addresses: strict },
    ).catch((caught: unknown) => caught);
    expect(clever).toBeInstanceOf(AddressRefused);
    const wonde = await readWonde({ schoolId: "A1", token: "t", baseUrl: `https://127.0.0.1:${server.port}/v1.0` }, new CollectingSink(), {
      addresses: strict,
    }).catch((caught: unknown) => caught);
    expect(wonde).toBeInstanceOf(AddressRefused);
    expect((wonde as Error).message).toContain("This address (127.0.0.1) is on a private or local network");
    expect(server.seen).toEqual([]);
  });
});

describe("the token address fails the same way whatever answers it", () => {
  const fast = { retry: { timeoutMs: 300, attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } };
  const read = (tokenUrl: string) =>
    readOneRosterApi({ baseUrl: "https://sis.example.org/ims/oneroster/v1p1", tokenUrl, clientId: "id", clientSecret: "secret" }, new CollectingSink(), {
      ...fast,
      addresses: relaxed,
    }).then(
      () => new ReadFailed("the read succeeded"),
      (caught: unknown) => caught as ReadFailed,
    );

  test("refused, silent, TLS error, HTTP errors and a wrong secret all read alike; the operator log has the detail", async () => {
    const closed = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
    const closedPort = closed.port;
    closed.stop(true);
    const silent = started(recorder());
    const slow = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Promise<Response>(() => {}) });
    servers.push({ stop: () => slow.stop(true) });
    const failing = started(recorder(() => new Response("down", { status: 500 })));
    const unauthorised = started(recorder(() => Response.json({ error: "invalid_client" }, { status: 401 })));
    const notFound = started(recorder(() => new Response("<html>no</html>", { status: 404 })));
    const noToken = started(recorder(() => Response.json({ token_type: "bearer" })));

    const failures = [
      await read(`http://127.0.0.1:${closedPort}/oauth/token`),
      await read(`http://127.0.0.1:${slow.port}/oauth/token`),
      await read(`https://127.0.0.1:${silent.port}/oauth/token`),
      await read(`${failing.url}/oauth/token`),
      await read(`${unauthorised.url}/oauth/token`),
      await read(`${notFound.url}/oauth/token`),
      await read(`${noToken.url}/oauth/token`),
    ];
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(ReadFailed);
      expect(failure.message).toBe(
        "Rollcall could not sign in at the OneRoster token address. Check the token address, the client ID and the client secret on the roster source page. If they are right, the server may be down; the next sync will try again.",
      );
    }
    const details = failures.map((failure) => failure.detail ?? "");
    for (const detail of details) {
      expect(detail).not.toBe("");
      expect(detail).not.toContain("secret");
    }
    // The answers that came back tell themselves apart in the detail. (The closed port is left
    // out: another test server may be given the same port between its closing and the request.)
    const answered = details.slice(3);
    expect(new Set(answered).size).toBe(answered.length);
  });
});

/** A self-signed certificate for sis.test (EC P-256, valid to 2126), for the TLS test only. */
const CERTIFICATE = `-----BEGIN CERTIFICATE-----
MIIBkzCCATigAwIBAgIUUCIfuJAtkJVlnmDS4/RKBilMALYwCgYIKoZIzj0EAwIw
EzERMA8GA1UEAwwIc2lzLnRlc3QwIBcNMjYxMjA0MjIzNzQ5WhgPMjEyNjExMTAy
MjM3NDlaMBMxETAPBgNVBAMMCHNpcy50ZXN0MFkwEwYHKoZIzj0CAQYIKoZIzj0D
AQcDQgAEVB3tSmDge3b/RgBa2lkcX/UgPSVykiLXPyfQ0VFfGktch9qq607yS7Jh
Jg7RZyxkZR/cp+DrHqBZzHdd5DvLTaNoMGYwHQYDVR0OBBYEFFPklL+9rtdd6YVX
KeIP/rUV94h6MB8GA1UdIwQYMBaAFFPklL+9rtdd6YVXKeIP/rUV94h6MA8GA1Ud
EwEB/wQFMAMBAf8wEwYDVR0RBAwwCoIIc2lzLnRlc3QwCgYIKoZIzj0EAwIDSQAw
RgIhAPjWDCVL+KV9jaQ+Awj+0jw8hN8JLf1fRRg+iyhUkfTTAiEA7aZFxuNZfp7M
W3lqB6ABn6NfP5JzKfOWazyEPOtVKks=
-----END CERTIFICATE-----
`;
const PRIVATE_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgPY9qSaV730eJvjqk
oQONFoVyrashZinuhQV1x9X7rzChRANCAARUHe1KYOB7dv9GAFraWRxf9SA9JXKS
Itc/J9DRUV8aS1yH2qrrTvJLsmEmDtFnLGRlH9yn4OseoFnMd13kO8tN
-----END PRIVATE KEY-----
`;
