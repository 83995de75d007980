import { afterAll, beforeAll, expect, test } from "bun:test";
import { ADDRESS_RULE } from "../../src/auth/throttle.ts";
import { createOrgWithUser, createTestApp, formPost, type TestApp, TEST_PASSWORD } from "../helpers/app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

test("many failures from one address, spread over accounts, pause sign-in from that address", async () => {
  const { email } = await createOrgWithUser(t);
  // Each guessed account stays under its own limit; only the address adds up.
  for (let attempt = 0; attempt < ADDRESS_RULE.limit; attempt++) {
    const response = await formPost(t, "/sign-in", { email: `guess-${attempt}@school.test`, password: "a guessed password" });
    expect(response.status).toBe(attempt < ADDRESS_RULE.limit - 1 ? 401 : 429);
  }
  const rightPassword = await formPost(t, "/sign-in", { email, password: TEST_PASSWORD });
  expect(rightPassword.status).toBe(429);
});
