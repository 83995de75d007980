/**
 * Sign-in throttling against a real database, with requests from chosen network addresses:
 * an attack never locks out the account's owner, a school's shared address never locks out
 * its staff, and an address with very many failures is slowed, not shut.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq, like } from "drizzle-orm";
import { ADDRESS_RULE, addressKey, addressPauseMs, PAIR_RULE, pairKey } from "../../src/auth/throttle.ts";
import { signInFailures } from "../../src/db/schema/index.ts";
import { createOrgWithUser, createTestApp, TEST_ORIGIN, TEST_PASSWORD, type TestApp } from "../helpers/app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** A sign-in POST as it arrives from `address` (Bun's server tells the app the client's address). */
async function signInFrom(address: string, email: string, password: string) {
  const started = performance.now();
  const response = await t.app.request(
    `${TEST_ORIGIN}/sign-in`,
    {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin" },
      body: new URLSearchParams({ email, password }),
    },
    { requestIP: () => ({ address }) },
  );
  return { status: response.status, text: await response.text(), retryAfter: response.headers.get("Retry-After"), ms: performance.now() - started };
}

/** Lets the pair try again now, as if its wait had passed. */
async function waitPasses(email: string, address: string) {
  await t.database.db
    .update(signInFailures)
    .set({ lockedUntil: new Date(Date.now() - 1000) })
    .where(eq(signInFailures.key, pairKey(email, address)));
}

describe("an attack on one account", () => {
  test("from one address: free tries, then waits that grow; the owner elsewhere signs in at once", async () => {
    const { email } = await createOrgWithUser(t);
    const attacker = "198.51.100.7";
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 12; attempt++) statuses.push((await signInFrom(attacker, email, `guess number ${attempt}`)).status);
    // Three wrong passwords are answered as wrong; the fourth starts a wait, and tries during it are refused unchecked.
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429, 429, 429, 429, 429, 429, 429]);

    const refused = await signInFrom(attacker, email, TEST_PASSWORD);
    expect(refused.status).toBe(429);
    expect(refused.text).toMatch(/try again in \d+ seconds/);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(PAIR_RULE.firstWaitSeconds);

    const owner = await signInFrom("203.0.113.20", email, TEST_PASSWORD);
    expect(owner.status).toBe(303);
    // Nothing is counted against the account as a whole.
    expect(await t.database.db.select().from(signInFailures).where(like(signInFailures.key, "account:%"))).toEqual([]);
  });

  test("each further wrong password doubles the wait, up to its most, and never locks for good", async () => {
    const { email } = await createOrgWithUser(t);
    const address = "198.51.100.8";
    for (let attempt = 0; attempt < PAIR_RULE.freeFailures; attempt++) await signInFrom(address, email, `guess ${attempt}`);
    const waits: number[] = [];
    for (let attempt = 0; attempt < 10; attempt++) {
      const answer = await signInFrom(address, email, `more guesses ${attempt}`);
      expect(answer.status).toBe(429);
      waits.push(Number(answer.retryAfter));
      await waitPasses(email, address);
    }
    expect(waits).toEqual([5, 10, 20, 40, 80, 160, 320, 640, 900, 900]);
    // Once the wait has passed, the right password from the same address works and clears the count.
    expect((await signInFrom(address, email, TEST_PASSWORD)).status).toBe(303);
    expect(
      await t.database.db
        .select()
        .from(signInFailures)
        .where(eq(signInFailures.key, pairKey(email, address))),
    ).toEqual([]);
  });

  test("the sign-in page tells the waiting person how long, in minutes when long", async () => {
    const { email } = await createOrgWithUser(t);
    const address = "198.51.100.9";
    for (let attempt = 0; attempt <= PAIR_RULE.freeFailures; attempt++) await signInFrom(address, email, `guess ${attempt}`);
    await t.database.db
      .update(signInFailures)
      .set({ lockedUntil: new Date(Date.now() + 5 * 60_000) })
      .where(eq(signInFailures.key, pairKey(email, address)));
    const answer = await signInFrom(address, email, TEST_PASSWORD);
    expect(answer.text).toContain("try again in 5 minutes");
    expect(answer.text).toContain("signing in from another network is not affected");
  });
});

describe("a school's shared address", () => {
  test("thirty staff, each mistyping once, all sign in", async () => {
    const school = "192.0.2.50";
    const staff = [];
    for (let member = 0; member < 30; member++) staff.push(await createOrgWithUser(t));
    for (const { email } of staff) {
      expect((await signInFrom(school, email, "not quite my password")).status).toBe(401);
      expect((await signInFrom(school, email, TEST_PASSWORD)).status).toBe(303);
    }
    const [address] = await t.database.db
      .select()
      .from(signInFailures)
      .where(eq(signInFailures.key, addressKey(school)));
    expect(address!.failures).toBe(30);
  }, 60_000);

  test("very many failures across accounts slow the address down; a colleague's right password still signs in", async () => {
    const school = "192.0.2.60";
    const { email } = await createOrgWithUser(t);
    // The address's record of failures in the last hour: a password-spraying run over many accounts.
    await t.database.db
      .insert(signInFailures)
      .values({ key: addressKey(school), failures: ADDRESS_RULE.slowAfter, firstFailureAt: new Date(Date.now() - 10 * 60_000) });
    const sprayed = await signInFrom(school, "someone-else@school.test", "Summer2026!");
    expect(sprayed.status).toBe(401);
    expect(sprayed.ms).toBeGreaterThanOrEqual(1000);
    const colleague = await signInFrom(school, email, TEST_PASSWORD);
    expect(colleague.status).toBe(303);
    expect(colleague.ms).toBeGreaterThanOrEqual(1000);
    // Another address is not slowed.
    const elsewhere = await signInFrom("203.0.113.99", email, TEST_PASSWORD);
    expect(elsewhere.status).toBe(303);
    expect(elsewhere.ms).toBeLessThan(1000);
  });

  test("the pause grows with the failures and has a ceiling", () => {
    expect(addressPauseMs(ADDRESS_RULE.slowAfter - 1)).toBe(0);
    expect(addressPauseMs(ADDRESS_RULE.slowAfter)).toBe(1000);
    expect(addressPauseMs(ADDRESS_RULE.slowAfter + 25)).toBe(3000);
    expect(addressPauseMs(100_000)).toBe(ADDRESS_RULE.maxPauseSeconds * 1000);
  });
});
