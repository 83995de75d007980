/**
 * Where Rollcall may connect to read a roster: only public https addresses. An admin types
 * a source's address, so without this check the server could be made to call its own
 * network (a database, an admin page, a cloud metadata service) and hand it credentials.
 *
 * An address is checked when it is saved (its words, next to the field) and again at every
 * connection: the host name is resolved, every address it resolves to must be public, and the
 * connection goes to the address that was checked (the name is kept for TLS and the Host
 * header), so a name that resolves differently a moment later (DNS rebinding) cannot slip
 * through. Redirects are followed by hand, each target checked the same way.
 *
 * ALLOW_PRIVATE_SOURCE_URLS=1 lifts the rule for http and private addresses (tests, a SIS on
 * the operator's own network); cloud metadata addresses stay refused whatever it says.
 */
import { lookup } from "node:dns/promises";
import ipaddr from "ipaddr.js";
import { ReadFailed } from "../../roster/snapshot.ts";

export interface AddressPolicy {
  /** http and private, loopback or link-local addresses allowed (ALLOW_PRIVATE_SOURCE_URLS=1). */
  allowPrivate: boolean;
  /** Addresses always allowed, by what they start with: the embedded demo district this same process serves. */
  trustedPrefixes?: readonly string[] | undefined;
  /** Every address a host name resolves to; the system resolver unless a test gives its own. */
  resolve?: ((hostname: string) => Promise<string[]>) | undefined;
}

/** For readers called without one (the command line, tests): the operator's setting. */
export const policyFromEnvironment = (): AddressPolicy => ({ allowPrivate: process.env.ALLOW_PRIVATE_SOURCE_URLS === "1" });

/** Names that reach a cloud provider's instance metadata, never a roster. */
const METADATA_NAMES = new Set(["metadata.google.internal", "metadata.goog", "metadata"]);
const METADATA_ADDRESSES = new Set(["169.254.169.254", "fd00:ec2::254", "169.254.170.2", "100.100.100.200"]);

/** The words for an address Rollcall does not connect to; `what` names it. */
const privateWords = (what: string) =>
  `${what} is on a private or local network, which Rollcall does not connect to. Use the public https address your system gives for this app.`;

/** A refused address: said in the admin's words, never retried, nothing sent to it. */
export class AddressRefused extends ReadFailed {
  constructor(message: string, detail: string) {
    super(message, detail);
    this.name = "AddressRefused";
  }
}

const bare = (hostname: string) => hostname.replace(/^\[|\]$/g, "").toLowerCase();

/** A unicast address on the public internet (an IPv4-mapped IPv6 address counts as its IPv4 one). */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === "unicast";
}

function isAllowed(address: string, policy: AddressPolicy): boolean {
  if (!ipaddr.isValid(address) || METADATA_ADDRESSES.has(ipaddr.process(address).toString())) return false;
  return policy.allowPrivate || isPublicAddress(address);
}

const isTrusted = (url: URL, policy: AddressPolicy) => Boolean(policy.trustedPrefixes?.some((prefix) => url.href.startsWith(prefix)));

/**
 * What is wrong with a source address before any look-up, in words for the field it was
 * typed in; undefined when it may be tried.
 */
export function checkAddress(text: string, policy: AddressPolicy): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "Enter the full address, starting with https://";
  }
  if (isTrusted(url, policy)) return undefined;
  if (url.protocol !== "https:" && !(policy.allowPrivate && url.protocol === "http:")) {
    return "The address must start with https://, so the connection is encrypted.";
  }
  if (url.username || url.password) return "Leave the user name and password out of the address; enter them in their own fields.";
  const host = bare(url.hostname);
  if (METADATA_NAMES.has(host) || (ipaddr.isValid(host) && !isAllowed(host, policy))) return privateWords(`This address (${host})`);
  return undefined;
}

async function resolveAll(hostname: string, policy: AddressPolicy): Promise<string[]> {
  if (ipaddr.isValid(hostname)) return [hostname];
  if (policy.resolve) return policy.resolve(hostname);
  return (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);
}

/** The first resolved address that may not be connected to, in words, or undefined. */
function refusedAmong(hostname: string, addresses: string[], policy: AddressPolicy): string | undefined {
  const refused = addresses.find((address) => !isAllowed(address, policy));
  return refused === undefined ? undefined : privateWords(`${hostname} leads to ${refused}. That address`);
}

/**
 * The address is checked and its host name resolved: every address must be allowed. Returns
 * the problem in the field's words, or undefined. A name that does not resolve now is not a
 * problem here: it may resolve later, and each connection checks again.
 */
export async function checkResolvedAddress(text: string, policy: AddressPolicy): Promise<string | undefined> {
  const problem = checkAddress(text, policy);
  if (problem) return problem;
  const url = new URL(text);
  if (isTrusted(url, policy)) return undefined;
  const hostname = bare(url.hostname);
  const addresses = await resolveAll(hostname, policy).catch(() => []);
  return refusedAmong(hostname, addresses, policy);
}

export interface SourceRequest {
  method?: "GET" | "POST" | undefined;
  /** Headers for a URL: a signature differs per URL, so a followed redirect signs again. */
  headers: Record<string, string> | ((url: string) => Record<string, string>);
  body?: string | URLSearchParams | undefined;
  signal?: AbortSignal | undefined;
  /** The source's name for messages ("Clever", "the OneRoster server"). */
  source: string;
}

const MAX_REDIRECTS = 5;

/** The address a connection goes to: the checked one, the host name kept for TLS and Host. */
async function pinned(url: URL, policy: AddressPolicy, source: string): Promise<{ connectTo: string; host: string; serverName?: string }> {
  const refuse = (problem: string, detail: string) =>
    new AddressRefused(`Rollcall did not connect to ${source}. ${problem} Change it on the roster source page.`, detail);
  const problem = checkAddress(url.href, policy);
  if (problem) throw refuse(problem, `refused ${url.protocol}//${url.host}`);
  if (isTrusted(url, policy)) return { connectTo: url.href, host: url.host };
  const hostname = bare(url.hostname);
  const addresses = await resolveAll(hostname, policy);
  if (!addresses.length) throw new Error(`no address for ${hostname}`);
  const refused = refusedAmong(hostname, addresses, policy);
  if (refused) throw refuse(refused, `refused ${url.host}: resolves to ${addresses.join(" ")}`);
  const address = addresses[0]!;
  const connectTo = new URL(url.href);
  connectTo.hostname = address.includes(":") ? `[${address}]` : address;
  return { connectTo: connectTo.href, host: url.host, ...(url.protocol === "https:" && !ipaddr.isValid(hostname) ? { serverName: hostname } : {}) };
}

/**
 * One request to a source, to the checked address. Redirects of a GET are followed (at most
 * five, each checked again, and the credentials dropped when it leaves the origin, as
 * browsers do); a POST's redirect is not followed, so credentials are never posted on.
 */
export async function fetchSource(text: string, request: SourceRequest, policy: AddressPolicy): Promise<Response> {
  const method = request.method ?? "GET";
  const origin = new URL(text).origin;
  let url = new URL(text);
  for (let redirects = 0; ; redirects++) {
    const target = await pinned(url, policy, request.source);
    const given = typeof request.headers === "function" ? request.headers(url.href) : request.headers;
    const headers = url.origin === origin ? { ...given } : withoutCredentials(given);
    const response = await fetch(target.connectTo, {
      method,
      headers: { ...headers, Host: target.host },
      body: request.body,
      signal: request.signal,
      redirect: "manual",
      ...(target.serverName ? { tls: { serverName: target.serverName } } : {}),
    });
    const location = response.headers.get("location");
    if (method !== "GET" || response.status < 300 || response.status > 399 || !location) return response;
    await response.body?.cancel();
    if (redirects >= MAX_REDIRECTS)
      throw new ReadFailed(
        `${request.source} kept sending Rollcall to other addresses, so the read stopped.`,
        `more than ${MAX_REDIRECTS} redirects from ${url.pathname}`,
      );
    url = new URL(location, url);
  }
}

function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !["authorization", "cookie"].includes(name.toLowerCase())));
}
