# syntax=docker/dockerfile:1
# Restore Drill portal image: Next.js standalone output, non-root, migrations applied at start.
# SQLite on the /data volume by default; set DATABASE_URL=postgresql://… for PostgreSQL.

FROM node:20-bookworm-slim AS deps
WORKDIR /app
# better-sqlite3 is built from source (npm 11 runs no install scripts by default).
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm install --ignore-scripts --no-audit --no-fund \
 && npm rebuild better-sqlite3

FROM deps AS build
WORKDIR /app
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1
RUN npm run db:generate \
 && npx next build \
 && npx esbuild tools/db/migrate.ts --bundle --platform=node --target=node20 \
      --external:better-sqlite3 --external:pg --external:@prisma/* --outfile=dist/migrate.cjs

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0 \
    DATA_DIR=/data
RUN groupadd --system --gid 10001 restoredrill \
 && useradd --system --uid 10001 --gid restoredrill --home-dir /app restoredrill \
 && mkdir -p /data \
 && chown restoredrill:restoredrill /data
COPY --from=build --chown=restoredrill:restoredrill /app/.next/standalone ./
COPY --from=build --chown=restoredrill:restoredrill /app/.next/static ./.next/static
COPY --from=build --chown=restoredrill:restoredrill /app/prisma/migrations ./prisma/migrations
COPY --from=build --chown=restoredrill:restoredrill /app/dist/migrate.cjs ./dist/migrate.cjs
# Next's file tracing misses better-sqlite3's native binding (loaded by a computed path).
COPY --from=deps --chown=restoredrill:restoredrill /app/node_modules/better-sqlite3 ./node_modules/better-sqlite3
USER restoredrill
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Migrations first: a failed migration stops the container instead of serving a half-migrated schema.
CMD ["sh", "-c", "node dist/migrate.cjs && exec node server.js"]
