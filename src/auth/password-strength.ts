/**
 * New passwords, as NIST SP 800-63B asks: at least 12 characters, no composition rules, and
 * not one that attackers try early (common and breached passwords, dictionary words and
 * names, repeats like "aaaaaaaaaaaa", sequences, dates, or the person's own email and name).
 * zxcvbn-ts estimates how many guesses a password takes against its bundled lists; fewer
 * than 10^8 (its score below 3) is refused. The lists are several megabytes, so they load at
 * the first check, not at start-up.
 */
import type { ZxcvbnFactory } from "@zxcvbn-ts/core";

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;
const MIN_SCORE = 3;

let estimator: Promise<ZxcvbnFactory> | undefined;

function loadEstimator(): Promise<ZxcvbnFactory> {
  estimator ??= (async () => {
    const [{ ZxcvbnFactory }, common, english] = await Promise.all([
      import("@zxcvbn-ts/core"),
      import("@zxcvbn-ts/language-common"),
      import("@zxcvbn-ts/language-en"),
    ]);
    return new ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...english.dictionary },
      graphs: common.adjacencyGraphs,
      translations: english.translations,
    });
  })();
  return estimator;
}

/** Why a new password is refused, in words for the person choosing it; null when it is fine. */
export async function passwordProblem(password: string, about: { email: string; name?: string; orgName?: string }): Promise<string | null> {
  if (password.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters. A short sentence works well.`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
  const local = about.email.split("@")[0] ?? "";
  const own = [about.email, local, about.name ?? "", about.orgName ?? "", "rollcall"].filter(Boolean);
  if (own.some((word) => word.toLowerCase() === password.trim().toLowerCase())) {
    return "Do not use your email address, your name or your organization's name as your password.";
  }
  const result = (await loadEstimator()).check(password, own);
  if (result.score >= MIN_SCORE) return null;
  const why = result.feedback.warning ?? "This password would be easy to guess.";
  return `${why} Choose one that is hard to guess, such as a few unrelated words only you would put together.`;
}
