/**
 * England's unique pupil number (uk-mis.md 2.4): 13 characters, a check letter first, then
 * 11 digits and a final digit, or a final letter for a temporary UPN. The check letter is the
 * weighted sum of characters 2 to 13 (weights 2 to 13), mod 23, in the alphabet without I, O, S.
 */
const LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ";

export function checkUpn(raw: string | null | undefined): { upn?: string; temporary?: boolean; problem?: string } {
  const upn = (raw ?? "").trim().toUpperCase();
  if (!upn) return {};
  if (!/^[A-HJ-NP-RT-Z]\d{11}[0-9A-HJ-NP-RT-Z]$/.test(upn)) {
    return { problem: `"${raw}" is not a UPN: a UPN is 13 characters, a letter, 11 digits, then a digit or letter.` };
  }
  let sum = 0;
  for (let index = 1; index < 13; index++) {
    const char = upn[index]!;
    sum += (index + 1) * (/\d/.test(char) ? Number(char) : LETTERS.indexOf(char));
  }
  if (LETTERS[sum % 23] !== upn[0]) return { problem: `UPN ${upn} has the wrong check letter; it was probably mistyped.` };
  return { upn, temporary: /[A-Z]$/.test(upn) };
}
