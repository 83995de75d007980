// Runs once before the test files. Tests never read the developer's own ./data directory.
process.env.TZ = "UTC";
// Stand-ins for Clever, Wonde and OneRoster providers listen on loopback over http: allowed here
// (src/sources/http/outbound.ts). Tests of the refusals turn it off for their own app or reader.
process.env.ALLOW_PRIVATE_SOURCE_URLS ??= "1";
