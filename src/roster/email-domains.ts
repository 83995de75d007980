/**
 * Whose address is it? A pupil's address on a domain the school does not use, or on a free-mail
 * service, may be a parent's or a personal one (safety rule 4): a sync does not write it, and
 * the MIS user sync asks before it is confirmed.
 */

const domainOf = (email: string) => email.slice(email.lastIndexOf("@") + 1).toLowerCase();

/** The school's own email domains: any domain that at least a fifth of the staff addresses use. */
export function schoolEmailDomains(staffAddresses: Iterable<string>): Set<string> {
  const counts = new Map<string, number>();
  let total = 0;
  for (const address of staffAddresses) {
    counts.set(domainOf(address), (counts.get(domainOf(address)) ?? 0) + 1);
    total++;
  }
  return new Set([...counts].filter(([, count]) => count * 5 >= total).map(([domain]) => domain));
}

/** Same registrable domain: students.district.org belongs to district.org. */
export function onSchoolDomain(email: string, domains: ReadonlySet<string>): boolean {
  const domain = domainOf(email);
  for (const schoolDomain of domains) if (domain === schoolDomain || domain.endsWith(`.${schoolDomain}`)) return true;
  return false;
}

/** Free-mail services families use; a school's own accounts are never on them. */
const FREE_MAIL = /^(gmail|googlemail|hotmail|outlook|live|msn|yahoo|ymail|icloud|me|mac|aol|btinternet|sky|virginmedia|talktalk|protonmail|proton|gmx|mail)\./;

export const isFreeMail = (email: string) => FREE_MAIL.test(domainOf(email));
