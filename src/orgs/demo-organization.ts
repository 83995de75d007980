/**
 * Embedded first run: two demo organizations, each with a demo admin, so `npm start` on a
 * fresh machine has something to sign in to: a US district on Clever and a UK secondary school
 * on Wonde. Each is created once; its password is random, printed once, and kept in a file in
 * DATA_DIR (readable only by this user).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { hashPassword } from "../auth/passwords.ts";
import { randomToken } from "../lib/crypto.ts";
import type { Db } from "../db/client.ts";
import { licences, organizations, staffUsers, syncSettings } from "../db/schema/index.ts";
import { PRODUCT_CATALOGUE } from "../products.ts";
import { recordAudit } from "../db/queries/audit.ts";

export interface DemoSpec {
  name: string;
  country: string;
  timeZone: string;
  adminEmail: string;
  adminName: string;
  credentialsFile: string;
}

export const US_DEMO: DemoSpec = {
  name: "Maple Grove School District (demo)",
  country: "US",
  timeZone: "America/Chicago",
  adminEmail: "admin@demo.rollcall.test",
  adminName: "Demo Admin",
  credentialsFile: "demo-credentials.txt",
};

export const UK_DEMO: DemoSpec = {
  name: "Oakfield Academy (demo)",
  country: "GB",
  timeZone: "Europe/London",
  adminEmail: "access@oakfield.demo.rollcall.test",
  adminName: "Demo Access Coordinator",
  credentialsFile: "demo-uk-credentials.txt",
};

export interface DemoOrganization {
  orgId: string;
  /** Only on the run that created it. */
  credentials?: { email: string; password: string; file: string };
}

export async function ensureDemoOrganization(db: Db, dataDir: string, spec: DemoSpec): Promise<DemoOrganization> {
  const [existing] = await db.select({ orgId: staffUsers.orgId }).from(staffUsers).where(eq(staffUsers.email, spec.adminEmail));
  if (existing) return { orgId: existing.orgId };

  const password = randomToken().slice(0, 20);
  const passwordHash = await hashPassword(password);
  const orgId = await db.transaction(async (tx) => {
    const [org] = await tx
      .insert(organizations)
      .values({ name: spec.name, country: spec.country, timeZone: spec.timeZone, isDemo: true })
      .returning({ id: organizations.id });
    const id = org!.id;
    await tx.insert(syncSettings).values({ orgId: id, defaultJourneyProductId: "reading" });
    await tx.insert(licences).values(PRODUCT_CATALOGUE.map((product) => ({ orgId: id, productId: product.id })));
    await tx.insert(staffUsers).values({ orgId: id, email: spec.adminEmail, name: spec.adminName, role: "org_admin", passwordHash });
    await recordAudit(tx, { orgId: id, actor: "system", action: "organization.demo_created" });
    return id;
  });
  const file = join(dataDir, spec.credentialsFile);
  writeFileSync(file, `Rollcall demo admin of ${spec.name}\nemail: ${spec.adminEmail}\npassword: ${password}\n`, { mode: 0o600 });
  return { orgId, credentials: { email: spec.adminEmail, password, file } };
}
