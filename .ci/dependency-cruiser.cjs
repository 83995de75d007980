/**
 * Which part of Rollcall may import which: the layering of src/ARCHITECTURE.md, checked by
 * `npm run check` (and so by CI). Run alone with
 *   bun node_modules/dependency-cruiser/bin/dependency-cruiser.mjs --config .ci/dependency-cruiser.cjs src views
 * (dependency-cruiser refuses Node 20; the project's Bun runs it).
 */
module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      comment: "Dependencies point one way: no module reaches itself again through its imports.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "views-render-plain-data",
      comment: "Views receive plain data and render it: they import no routes, database or sync code (only the types of the data they draw).",
      severity: "error",
      from: { path: "^views/" },
      to: { path: "^src/(routes|db|sync)/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "reconcile-and-match-are-pure",
      comment: "Reconcile and matching are pure functions: no database, HTTP, Bun APIs, files or sockets.",
      severity: "error",
      from: { path: "^src/sync/(reconcile|match)/" },
      to: {
        path: [
          "^src/db/",
          "^src/routes/",
          "^src/sources/",
          "^src/connections/",
          "^src/mail/",
          "^src/sync/(run|state|apply)/",
          "^src/lib/(log|crypto|garbage-guard)\\.ts$",
          "^(node:)?(fs|net|http|https|child_process)(/|$)",
          "^bun(:|$)",
          "(^|/)node_modules/(hono|postgres|drizzle-orm|@electric-sql|resend)/",
        ],
      },
    },
    {
      name: "routes-read-through-queries",
      comment: "Routes reach the database through src/db/queries or services, never tables or Drizzle directly.",
      severity: "error",
      from: { path: "^src/routes/" },
      to: { path: ["^src/db/schema/", "(^|/)node_modules/drizzle-orm/"] },
    },
    {
      name: "db-below-sync",
      comment: "The database layer knows tables and queries, never the sync that uses them.",
      severity: "error",
      from: { path: "^src/db/" },
      to: { path: "^src/(sync|connections|mail|routes|schedule|lifecycle|review|cli)/" },
    },
    {
      name: "lib-has-no-domain",
      comment: "src/lib holds what has no domain in it: it imports nothing else of Rollcall.",
      severity: "error",
      from: { path: "^src/lib/" },
      to: { path: "^(src/(?!lib/)|views/)" },
    },
    {
      name: "sync-tells-mail",
      comment: "A run queues its emails through mail; mail never reaches back into sync.",
      severity: "error",
      from: { path: "^src/mail/" },
      to: { path: "^src/sync/" },
    },
    {
      name: "connections-below-sync",
      comment: "What reaches a source (details, secrets, uploads, the reader) knows nothing of a sync run.",
      severity: "error",
      from: { path: "^src/(connections|sources|roster)/" },
      to: { path: "^src/(sync|routes|mail|schedule)/" },
    },
    {
      name: "nothing-below-routes-imports-routes",
      comment: "Routes are the top of the web side: only the app (and tests) mount them.",
      severity: "error",
      from: { path: "^(src/(?!routes/|app\\.tsx$|main\\.ts$)|views/)" },
      to: { path: "^src/routes/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: [".ts", ".tsx", ".js"] },
  },
};
