# One image, two roles: `node dist/src/app/main-api.js` (default) or `node dist/src/app/main-worker.js`.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src src
COPY tools tools
COPY migrations migrations
COPY scripts scripts
RUN npx tsc -p tsconfig.build.json && npm prune --omit=dev

FROM node:24-bookworm-slim
# ffprobe validates every returned video in the worker.
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg tini && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production
# Node 24 sizes the young generation from the machine's memory; on a large host the api idled at
# ~370 MB RSS, mostly young-generation pages left over from start-up. 16 MB semi-spaces (Node 20's
# default) keep it near 200 MB at no measurable cost in throughput (bench/README.md).
ENV NODE_OPTIONS=--max-semi-space-size=16
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json ./
USER node
EXPOSE 3000
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--enable-source-maps", "dist/src/app/main-api.js"]
