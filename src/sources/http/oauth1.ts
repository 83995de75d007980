/**
 * OAuth 1.0a request signing (RFC 5849), two-legged, HMAC-SHA256: how OneRoster 1.1
 * providers that predate OAuth 2 (and some that still prefer it) check who is asking. Every
 * request carries its own signature over the method, the address and every query parameter
 * (OneRoster's limit, offset and filter included), a fresh nonce and the time.
 *
 * oauth-1.0a builds the signature base string; the query is handed to it already decoded
 * (as a form decodes it, "+" being a space), because the library's own split of a URL does
 * not decode names or "+" and would sign something other than what the server reads.
 */
import { createHmac } from "node:crypto";
import OAuth from "oauth-1.0a";

export interface OAuth1Credentials {
  clientId: string;
  clientSecret: string;
}

/** The Authorization header for one request. */
export type RequestSigner = (url: string, method?: "GET" | "POST") => Record<string, string>;

export function oauth1Signer(credentials: OAuth1Credentials, options: { now?: () => number } = {}): RequestSigner {
  const oauth = new OAuth({
    consumer: { key: credentials.clientId, secret: credentials.clientSecret },
    signature_method: "HMAC-SHA256",
    hash_function: (base, key) => createHmac("sha256", key).update(base).digest("base64"),
  });
  if (options.now) {
    const now = options.now;
    oauth.getTimeStamp = () => Math.floor(now() / 1000);
  }
  return (text, method = "GET") => {
    const url = new URL(text);
    const data: Record<string, string | string[]> = {};
    for (const [name, value] of url.searchParams) {
      const seen = data[name];
      data[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
    }
    // origin + path: scheme and host in lower case, a default port left out (RFC 5849 3.4.1.2).
    return { ...oauth.toHeader(oauth.authorize({ url: `${url.origin}${url.pathname}`, method, data })) };
  };
}
