/**
 * The demo district behind a Clever-compatible API, plus a small admin endpoint to move it on
 * by a day or inject faults: `npm start` mounts it at /demo/clever and connects the demo
 * organization to it.
 */
import { Hono } from "hono";
import { z } from "zod";
import { createCleverApi, Faults } from "./clever-api.ts";
import { DEMO_ACCESS_TOKEN, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DemoDistrict, type DemoDistrictOptions } from "./district.ts";

export { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_DISTRICT_ID, DemoDistrict } from "./district.ts";
export { Faults } from "./clever-api.ts";

const faultRequest = z.object({
  kind: z.enum(["429", "500", "slow", "truncated", "html"]),
  times: z.coerce.number().int().min(1).max(1000).default(1),
  delayMs: z.coerce.number().int().min(0).max(120_000).optional(),
  path: z.string().max(200).optional(),
});

export function createDemoClever(options: DemoDistrictOptions = {}) {
  const district = new DemoDistrict(options);
  const faults = new Faults();
  const { app: api } = createCleverApi(district, { clientId: DEMO_CLIENT_ID, clientSecret: DEMO_CLIENT_SECRET, accessToken: DEMO_ACCESS_TOKEN }, { faults });
  const app = new Hono();
  app.post("/demo/advance", (c) => c.json({ day: district.advanceDay() }));
  app.post("/demo/faults", async (c) => {
    const parsed = faultRequest.safeParse(await c.req.json().catch(() => ({})));
    if (!parsed.success) return c.json({ message: parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ") }, 400);
    faults.add(parsed.data);
    return c.json({ ok: true });
  });
  app.delete("/demo/faults", (c) => {
    faults.clear();
    return c.json({ ok: true });
  });
  app.route("/", api);
  return { app, district, faults };
}
