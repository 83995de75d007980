/**
 * Organizations and their licences: created by the operator from the command line. Creating
 * one also creates its sync settings and invites its first admin.
 */
import { asc, eq, sql } from "drizzle-orm";
import { createInvite } from "../auth/invites.ts";
import type { Db } from "../db/client.ts";
import { licences, organizations, products, staffUsers, syncSettings } from "../db/schema/index.ts";
import { isProductId } from "../products.ts";
import { recordAudit } from "../db/queries/audit.ts";
import { GRADE_CODES } from "../roster/snapshot.ts";

export interface NewOrganization {
  name: string;
  adminEmail: string;
  licences: string[];
  country?: string;
  timeZone?: string;
  /** The operator's support address, said in the admin's invitation. */
  supportEmail?: string | undefined;
}

export class UnknownProductError extends Error {
  constructor(readonly productId: string) {
    super(`unknown product "${productId}"`);
  }
}

export async function createOrganization(db: Db, input: NewOrganization, appUrl: string): Promise<{ id: string; inviteToken: string }> {
  for (const productId of input.licences) if (!isProductId(productId)) throw new UnknownProductError(productId);
  return db.transaction(async (tx) => {
    const [org] = await tx
      .insert(organizations)
      .values({ name: input.name.trim(), country: input.country ?? "US", timeZone: input.timeZone ?? "UTC" })
      .returning({ id: organizations.id });
    const orgId = org!.id;
    // A UK school syncs every year group (the MIS user sync narrows it); a US district starts with the early years (Clever's recommended sharing).
    const scope = input.country === "GB" ? { scope: { kind: "grades" as const, grades: [...GRADE_CODES] } } : {};
    await tx.insert(syncSettings).values({ orgId, defaultJourneyProductId: input.licences.find((id) => id !== "insights") ?? null, ...scope });
    if (input.licences.length) await tx.insert(licences).values(input.licences.map((productId) => ({ orgId, productId })));
    const invite = await createInvite(tx, { orgId, email: input.adminEmail, role: "org_admin", supportEmail: input.supportEmail }, appUrl);
    await recordAudit(tx, { orgId, actor: "operator", action: "organization.created", detail: { licences: input.licences } });
    return { id: orgId, inviteToken: invite.token };
  });
}

export async function addLicence(db: Db, orgId: string, productId: string): Promise<void> {
  if (!isProductId(productId)) throw new UnknownProductError(productId);
  await db.insert(licences).values({ orgId, productId }).onConflictDoNothing();
  await recordAudit(db, { orgId, actor: "operator", action: "licence.added", detail: { productId } });
}

export interface OrganizationSummary {
  id: string;
  name: string;
  country: string;
  licences: string[];
  staff: number;
  createdAt: Date;
}

export async function listOrganizations(db: Db): Promise<OrganizationSummary[]> {
  return db
    .select({
      id: organizations.id,
      name: organizations.name,
      country: organizations.country,
      createdAt: organizations.createdAt,
      licences: sql<
        string[]
      >`coalesce((select array_agg(${licences.productId} order by ${licences.productId}) from ${licences} where ${licences.orgId} = ${organizations.id}), '{}')`,
      staff: sql<number>`(select count(*)::int from ${staffUsers} where ${staffUsers.orgId} = ${organizations.id})`,
    })
    .from(organizations)
    .orderBy(asc(organizations.createdAt));
}

export async function organizationExists(db: Db, orgId: string): Promise<boolean> {
  if (!/^[0-9a-f-]{36}$/i.test(orgId)) return false;
  const [row] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, orgId));
  return Boolean(row);
}

export async function licensedProducts(db: Db, orgId: string) {
  return db
    .select({ id: products.id, name: products.name, learnersSignIn: products.learnersSignIn })
    .from(licences)
    .innerJoin(products, eq(products.id, licences.productId))
    .where(eq(licences.orgId, orgId))
    .orderBy(asc(products.name));
}
