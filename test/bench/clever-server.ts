/**
 * The demo district's Clever-compatible server over the benchmark district, in its own
 * process so the reader's memory is measured alone. Prints its URL, then serves.
 *   bun clever-server.ts LEARNERS
 */
import { createCleverApi } from "../../src/demo/clever-api.ts";
import { BenchCleverDistrict } from "./clever-district.ts";

export const BENCH_CREDENTIALS = { clientId: "bench-client", clientSecret: "bench-secret", accessToken: "bench-token-00000000000000000000000000" };
const { app } = createCleverApi(new BenchCleverDistrict(Number(process.argv[2])), BENCH_CREDENTIALS);
const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: app.fetch, idleTimeout: 120 });
console.log(`http://127.0.0.1:${server.port}`);
