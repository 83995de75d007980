import { z } from "zod";
import { addLicence, createOrganization, listOrganizations, organizationExists } from "../../orgs/organizations.ts";
import { PRODUCT_CATALOGUE, isProductId } from "../../products.ts";
import { withDatabase } from "../database.ts";
import { type CliCommand, requireString, UsageError } from "../run.ts";

const productList = PRODUCT_CATALOGUE.map((product) => product.id).join(", ");

/** `--licence a --licence b` and `--licence a,b` both work. */
function licencesFrom(value: unknown): string[] {
  const raw = Array.isArray(value) ? value : typeof value === "string" ? [value] : [];
  const ids = raw
    .flatMap((item: string) => item.split(","))
    .map((item) => item.trim())
    .filter(Boolean);
  for (const id of ids) if (!isProductId(id)) throw new UsageError(`unknown product "${id}" for --licence (products: ${productList})`);
  return [...new Set(ids)];
}

function checkTimeZone(zone: string): string {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return zone;
  } catch {
    throw new UsageError(`--time-zone "${zone}" is not a known time zone (for example Europe/London or America/Chicago)`);
  }
}

export const orgCreate: CliCommand = {
  name: ["org", "create"],
  summary: "create an organization, its licences, and email its first admin an invite",
  usage: `--name NAME --admin-email EMAIL --licence PRODUCT [--licence PRODUCT ...] [--country US|GB] [--time-zone ZONE] [--json]\n\nProducts: ${productList}.`,
  options: {
    name: { type: "string" },
    "admin-email": { type: "string" },
    licence: { type: "string", multiple: true },
    country: { type: "string" },
    "time-zone": { type: "string" },
    json: { type: "boolean" },
  },
  async run({ values, io }) {
    const name = requireString(values, "name").trim();
    const adminEmail = requireString(values, "admin-email").trim().toLowerCase();
    if (!z.email().safeParse(adminEmail).success) throw new UsageError(`--admin-email "${adminEmail}" is not an email address`);
    const licences = licencesFrom(values.licence);
    if (!licences.length) throw new UsageError(`--licence is required (products: ${productList})`);
    const country = typeof values.country === "string" ? values.country.toUpperCase() : "US";
    if (!/^[A-Z]{2}$/.test(country)) throw new UsageError(`--country "${values.country}" must be a two-letter country code such as US or GB`);
    const timeZone = checkTimeZone(typeof values["time-zone"] === "string" ? values["time-zone"] : country === "GB" ? "Europe/London" : "America/Chicago");
    const org = await withDatabase((database, config) =>
      createOrganization(database.db, { name, adminEmail, licences, country, timeZone, supportEmail: config.supportEmail }, config.appUrl),
    );
    io.out(values.json ? JSON.stringify({ id: org.id }) : org.id);
    if (!values.json) io.err(`Created "${name}"; an invite to ${adminEmail} is in the outbox.`);
    return 0;
  },
};

export const orgList: CliCommand = {
  name: ["org", "list"],
  summary: "list organizations with their licences",
  usage: "[--json]",
  options: { json: { type: "boolean" } },
  async run({ values, io }) {
    const orgs = await withDatabase((database) => listOrganizations(database.db));
    if (values.json) {
      io.out(JSON.stringify(orgs));
      return 0;
    }
    if (!orgs.length) {
      io.out("No organizations yet. Create one with: rollcall org create --help");
      return 0;
    }
    for (const org of orgs) io.out(`${org.id}  ${org.name}  [${org.licences.join(", ") || "no licences"}]  staff: ${org.staff}`);
    return 0;
  },
};

export const licenceAdd: CliCommand = {
  name: ["licence", "add"],
  summary: "license an organization for a product",
  usage: `--org ID --product PRODUCT [--json]\n\nProducts: ${productList}.`,
  options: { org: { type: "string" }, product: { type: "string" }, json: { type: "boolean" } },
  async run({ values, io }) {
    const orgId = requireString(values, "org");
    const [productId] = licencesFrom(requireString(values, "product"));
    await withDatabase(async (database) => {
      if (!(await organizationExists(database.db, orgId))) throw new UsageError(`no organization with id "${orgId}" (see: rollcall org list)`);
      await addLicence(database.db, orgId, productId!);
    });
    io.out(values.json ? JSON.stringify({ orgId, productId }) : `Licensed ${orgId} for ${productId}.`);
    return 0;
  },
};
