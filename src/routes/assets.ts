/**
 * Static assets, served from the installed packages (htmx and Pico never come from a CDN)
 * and from src/assets. Read once at start-up; a content hash makes the ETag.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Hono } from "hono";
import { sha256Hex } from "../lib/crypto.ts";
import type { AppEnv } from "./context.tsx";

const projectRoot = fileURLToPath(new URL("../..", import.meta.url));
const fromPackage = (specifier: string) => Bun.resolveSync(specifier, projectRoot);
const fromAssets = (name: string) => fileURLToPath(new URL(`../assets/${name}`, import.meta.url));

const ASSETS: Record<string, { path: string; type: string }> = {
  "htmx.min.js": { path: fromPackage("htmx.org/dist/htmx.min.js"), type: "text/javascript; charset=utf-8" },
  "pico.min.css": { path: fromPackage("@picocss/pico/css/pico.min.css"), type: "text/css; charset=utf-8" },
  "app.css": { path: fromAssets("app.css"), type: "text/css; charset=utf-8" },
  "app.js": { path: fromAssets("app.js"), type: "text/javascript; charset=utf-8" },
  "favicon.svg": { path: fromAssets("favicon.svg"), type: "image/svg+xml" },
};

const loaded = Object.fromEntries(
  Object.entries(ASSETS).map(([name, asset]) => {
    const body = readFileSync(asset.path);
    return [name, { body, type: asset.type, etag: `"${sha256Hex(body.toString("latin1")).slice(0, 16)}"` }];
  }),
);

export const assetRoutes = new Hono<AppEnv>();

assetRoutes.get("/favicon.ico", (c) => {
  c.header("Cache-Control", "public, max-age=3600");
  return c.redirect("/assets/favicon.svg", 301);
});

assetRoutes.get("/assets/:name", (c) => {
  const asset = loaded[c.req.param("name")];
  if (!asset) return c.notFound();
  c.header("ETag", asset.etag);
  c.header("Cache-Control", "public, max-age=3600");
  if (c.req.header("If-None-Match") === asset.etag) return c.body(null, 304);
  c.header("Content-Type", asset.type);
  return c.body(new Uint8Array(asset.body));
});
