/** Names and emails as every source should give them to the snapshot. */

/** Trimmed, single-spaced, NFC; undefined when empty. */
export function cleanName(raw: string | null | undefined): string | undefined {
  if (raw === null || raw === undefined) return undefined;
  const text = String(raw).normalize("NFC").trim().replace(/\s+/g, " ");
  return text || undefined;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Lower-cased and trimmed when it looks like an address; `invalid` keeps what was sent otherwise. */
export function normaliseEmail(raw: string | null | undefined): { email?: string; invalid?: string } {
  const text = (raw ?? "").trim();
  if (!text) return {};
  return EMAIL.test(text) ? { email: text.toLowerCase() } : { invalid: text };
}
