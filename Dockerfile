# Rollcall server image: Postgres only (DATABASE_URL is required), runs as a non-root user.
# Build: docker build -t rollcall .    Run: docker run -e DATABASE_URL=... -e SESSION_SECRET=... -e ENCRYPTION_KEY=... -p 3000:3000 rollcall

# 1. Dependencies, installed from the lockfile with the npm that the README uses.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund \
 && cp node_modules/bun/bin/bun.exe /usr/local/bin/bun \
 && npm prune --omit=dev --no-audit --no-fund

# 2. Runtime: Bun, the production dependencies and the sources (Bun runs TypeScript directly).
FROM debian:bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app rollcall
WORKDIR /app
COPY --from=deps /usr/local/bin/bun /usr/local/bin/bun
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json bunfig.toml ./
COPY src ./src
COPY views ./views
COPY drizzle ./drizzle
USER rollcall
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/tmp/rollcall \
    ROLLCALL_REQUIRE_DATABASE_URL=1
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["bun", "-e", "const r = await fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz'); process.exit(r.ok ? 0 : 1)"]
CMD ["bun", "src/main.ts"]
