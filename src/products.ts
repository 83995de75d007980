/**
 * The vendor's product catalogue. Licences refer to these ids; `rollcall licence add` and
 * `org create --licence` accept them. Upserted at start-up so a new product needs no migration.
 */
import { sql } from "drizzle-orm";
import type { Db } from "./db/client.ts";
import { products } from "./db/schema/index.ts";

export interface Product {
  id: string;
  name: string;
  learnersSignIn: boolean;
  description: string;
}

export const PRODUCT_CATALOGUE: Product[] = [
  {
    id: "reading",
    name: "Reading Journey",
    learnersSignIn: true,
    description: "A reading game: learners sign in and progress through levels.",
  },
  {
    id: "maths",
    name: "Maths Journey",
    learnersSignIn: true,
    description: "A maths game: learners sign in and progress through levels.",
  },
  {
    id: "insights",
    name: "Insights Dashboard",
    learnersSignIn: false,
    description: "Reports for educators; learners never sign in.",
  },
];

export async function ensureProducts(db: Db): Promise<void> {
  await db
    .insert(products)
    .values(PRODUCT_CATALOGUE)
    .onConflictDoUpdate({
      target: products.id,
      set: {
        name: sql`excluded.name`,
        learnersSignIn: sql`excluded.learners_sign_in`,
        description: sql`excluded.description`,
      },
    });
}

export function isProductId(id: string): boolean {
  return PRODUCT_CATALOGUE.some((product) => product.id === id);
}
