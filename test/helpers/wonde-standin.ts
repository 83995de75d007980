/**
 * Wonde's API v1.0 on loopback for the tests: the Wonde-compatible API the demo UK school is
 * served from (src/demo/wonde-api.ts), with one approved school and any pending ones.
 */
import { createWondeApi, type WondeSchoolData, WondeFaults } from "../../src/demo/wonde-api.ts";
import { serve } from "./collect.ts";

export type WondeData = WondeSchoolData;

export interface WondeStandIn {
  url: string;
  requests: string[];
  data: WondeData;
  failNext(count: number, kind?: "500" | "html"): void;
  stop(): void;
}

export function startWondeStandIn(data: WondeData, token = "wonde-test-token", pending: Record<string, unknown>[] = []): WondeStandIn {
  const requests: string[] = [];
  const faults = new WondeFaults();
  const server = serve(createWondeApi({ token, approved: [data], pending, requests }, faults).fetch);
  return { url: `${server.url}/v1.0`, requests, data, failNext: (count, kind) => faults.failNext(count, kind), stop: server.stop };
}
