/** Names and emails as every source should give them to the snapshot. */

/** Invisible characters no name holds (C0 and C1 controls but whitespace, a byte-order mark) and U+FFFD, a letter lost upstream. */
const UNWANTED = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\ufeff\ufffd]/g;

/** Trimmed, single-spaced, NFC, without control characters (a NUL cannot be stored); undefined when empty. */
export function cleanName(raw: string | null | undefined): string | undefined {
  if (raw === null || raw === undefined) return undefined;
  const text = String(raw).replace(UNWANTED, "").normalize("NFC").trim().replace(/\s+/g, " ");
  return text || undefined;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Lower-cased and trimmed when it looks like an address; `invalid` keeps what was sent otherwise. */
export function normaliseEmail(raw: string | null | undefined): { email?: string; invalid?: string } {
  const text = (raw ?? "").trim();
  if (!text) return {};
  return EMAIL.test(text) ? { email: text.toLowerCase() } : { invalid: text };
}
