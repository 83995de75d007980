export * from "./audit.ts";
export * from "./auth.ts";
export * from "./mail.ts";
export * from "./organizations.ts";
export * from "./roster.ts";
export * from "./sync.ts";
export * from "./lifecycle.ts";
