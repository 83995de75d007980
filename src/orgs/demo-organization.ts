/**
 * Embedded first run: a demo organization with a demo admin, so `npm start` on a fresh
 * machine has something to sign in to. Created once; the password is random, printed once,
 * and kept in DATA_DIR/demo-credentials.txt (readable only by this user).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { hashPassword } from "../auth/passwords.ts";
import { randomToken } from "../lib/crypto.ts";
import type { Db } from "../db/client.ts";
import { auditLog, licences, organizations, staffUsers, syncSettings } from "../db/schema/index.ts";
import { PRODUCT_CATALOGUE } from "../products.ts";

export const DEMO_ORG_NAME = "Maple Grove School District (demo)";
export const DEMO_ADMIN_EMAIL = "admin@demo.rollcall.test";

export interface DemoOrganization {
  orgId: string;
  /** Only on the run that created it. */
  credentials?: { email: string; password: string; file: string };
}

export async function ensureDemoOrganization(db: Db, dataDir: string): Promise<DemoOrganization> {
  const [existing] = await db.select({ orgId: staffUsers.orgId }).from(staffUsers).where(eq(staffUsers.email, DEMO_ADMIN_EMAIL));
  if (existing) return { orgId: existing.orgId };

  const password = randomToken().slice(0, 20);
  const passwordHash = await hashPassword(password);
  const orgId = await db.transaction(async (tx) => {
    const [org] = await tx
      .insert(organizations)
      .values({ name: DEMO_ORG_NAME, country: "US", timeZone: "America/Chicago" })
      .returning({ id: organizations.id });
    const id = org!.id;
    await tx.insert(syncSettings).values({ orgId: id, defaultJourneyProductId: "reading" });
    await tx.insert(licences).values(PRODUCT_CATALOGUE.map((product) => ({ orgId: id, productId: product.id })));
    await tx.insert(staffUsers).values({ orgId: id, email: DEMO_ADMIN_EMAIL, name: "Demo Admin", role: "org_admin", passwordHash });
    await tx.insert(auditLog).values({ orgId: id, actor: "system", action: "organization.demo_created" });
    return id;
  });
  const file = join(dataDir, "demo-credentials.txt");
  writeFileSync(file, `Rollcall demo admin\nemail: ${DEMO_ADMIN_EMAIL}\npassword: ${password}\n`, { mode: 0o600 });
  return { orgId, credentials: { email: DEMO_ADMIN_EMAIL, password, file } };
}
