/**
 * Wonde as the vendor's app (uk-mis.md 1.1): one token, the operator's, reads every school
 * that has approved the app. A school gives only its Wonde school ID; before it is saved,
 * checkWondeSchool says whether the school has approved the app yet.
 */
import { ReadFailed } from "../../roster/snapshot.ts";
import { fetchJson, HttpStatusError } from "../http/fetch-json.ts";
import type { AddressPolicy } from "../http/outbound.ts";
import type { WondeList, WondeSchool } from "./types.ts";
import { WONDE_API, wondeRefusal } from "./index.ts";

export interface WondeApp {
  token: string;
  /** A stand-in's address (the demo UK school, tests); Wonde's own otherwise. */
  apiUrl?: string | undefined;
}

export const NO_WONDE_APP = "This Rollcall has no Wonde app set up, so Wonde schools cannot be read. Ask Rollcall support.";

interface AppOptions {
  addresses?: AddressPolicy | undefined;
  signal?: AbortSignal | undefined;
}

const requestOf = (app: WondeApp, options: AppOptions) => ({
  headers: { Authorization: `Bearer ${app.token}` },
  source: "Wonde",
  addresses: options.addresses,
  signal: options.signal,
  retry: { attempts: 2, timeoutMs: 15_000 },
  refusal: wondeRefusal,
});

const baseOf = (app: WondeApp) => (app.apiUrl ?? WONDE_API).replace(/\/$/, "");

export type SchoolCheck = { ok: true; name: string } | { ok: false; problem: "not approved" | "unknown school" | "app token" | "unreachable"; message: string };

/** Whether the school has approved the app, as saving a connection checks it. */
export async function checkWondeSchool(app: WondeApp, schoolId: string, options: AppOptions = {}): Promise<SchoolCheck> {
  try {
    const { body } = await fetchJson<{ data: WondeSchool }>(`${baseOf(app)}/schools/${encodeURIComponent(schoolId)}`, requestOf(app, options));
    return { ok: true, name: body.data.name };
  } catch (error) {
    if (error instanceof HttpStatusError) {
      const problem = error.status === 403 ? "not approved" : error.status === 404 ? "unknown school" : error.status === 401 ? "app token" : undefined;
      if (problem) return { ok: false, problem, message: error.message };
    }
    return { ok: false, problem: "unreachable", message: "Wonde could not be reached just now, so the school ID was not checked. Try again in a few minutes." };
  }
}

/** The schools that have approved the app (for a school to pick its own), by name. */
export async function approvedSchools(app: WondeApp, options: AppOptions = {}): Promise<{ id: string; name: string }[]> {
  const schools: { id: string; name: string }[] = [];
  let url: string | null = `${baseOf(app)}/schools?per_page=200`;
  for (let pages = 0; url; pages++) {
    if (pages > 1000) throw new ReadFailed("Wonde kept sending more pages of schools; the list was stopped.", "pagination loop on /schools");
    const { body }: { body: WondeList<WondeSchool> } = await fetchJson<WondeList<WondeSchool>>(url, requestOf(app, options));
    for (const school of body.data ?? []) schools.push({ id: school.id, name: school.name });
    url = body.meta?.pagination?.next ?? null;
  }
  return schools.sort((a, b) => a.name.localeCompare(b.name));
}
