# syntax=docker/dockerfile:1
# The Croupier image: `docker build -t croupier .` at the repository root. Two stages: the build stage
# has the compilers (argon2 is a native addon built from source on Linux) and the dev dependencies
# (TypeScript); the runtime stage gets only dist/ and the production node_modules, runs as a non-root
# user and holds no data: the embedded database, keys and secrets live in volumes or come from the
# environment. What was and was not run to check this file: docs/DEPLOYMENT.md.
ARG NODE_VERSION=22

FROM node:${NODE_VERSION}-bookworm AS build
WORKDIR /app
# Dependencies first, so a source change does not reinstall them. --ignore-scripts skips our own
# `prepare` (the sources are not here yet); argon2's install step is then run on its own.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts && npm rebuild argon2
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build \
 && npm prune --omit=dev --ignore-scripts \
 && chmod 0755 dist/cli/croupier.js

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
# A 32 MiB young generation: a node under play allocates fast and collects garbage less often with it
# than with V8's default of 16 MiB (docs/OPERATIONS.md, "Node flags").
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-semi-space-size=32 \
    CROUPIER_DATA_DIR=/var/lib/croupier
# A fixed uid/gid so volumes and Kubernetes securityContext (runAsUser 10001) agree.
RUN groupadd --system --gid 10001 croupier \
 && useradd --system --uid 10001 --gid croupier --home-dir /var/lib/croupier --shell /usr/sbin/nologin croupier \
 && mkdir -p /var/lib/croupier/keys \
 && chown -R croupier:croupier /var/lib/croupier \
 && chmod 0700 /var/lib/croupier /var/lib/croupier/keys
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN ln -s /app/dist/cli/croupier.js /usr/local/bin/croupier
USER croupier:croupier
EXPOSE 8080
# Liveness only (the process answers); readiness per role is /readyz, used by orchestrators. A node
# configured with TLS answers HTTPS: give it a plain-HTTP healthcheck of your own or disable this one.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["croupier"]
CMD ["serve"]
