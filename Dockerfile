# syntax=docker/dockerfile:1
# The bot in a container: `docker build -t popimap-bot .` (or `podman build`); README, "Run it in a container".
# The base is Docker Hub's official Node.js image, Node 24 LTS on Debian 12 slim, the Node the project pins.
# An ARG so a build without Docker Hub can name a stand-in (test/deploy/container.test.ts builds one).
ARG BASE_IMAGE=docker.io/library/node:24-bookworm-slim

FROM ${BASE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# Behind a proxy that inspects TLS, npm trusts the proxy's CA when this names it inside the build (mount the
# file with the build's --volume or a secret); unset otherwise. Only the path is recorded, in the history.
ARG NODE_EXTRA_CA_CERTS
# --ignore-scripts: the install scripts in the tree are the `node` devDependency's (it would download a
# second Node 24; the image has one), protobufjs's (a version notice) and two optional native add-ons the
# build does not use (@parcel/watcher, dtrace-provider). The npm cache is kept between builds.
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The build also trains the classifiers once, from the utterance files, and saves them in dist/ for the bot to
# load at start (scripts/save-models.mts).
COPY scripts/save-models.mts ./scripts/
COPY locales ./locales
RUN npm run build

FROM ${BASE_IMAGE} AS runtime
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
ARG NODE_EXTRA_CA_CERTS
# Production dependencies only. Optional ones stay out too: restify's DTrace probes (a native add-on, the one
# install script in the production tree) and restify-errors' safe-json-stringify, both of which restify does
# without, and TypeScript, an optional peer of i18next that npm would otherwise keep although it is a devDependency.
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --omit=optional
COPY --from=build /app/dist ./dist
COPY locales ./locales
# The embedded store's file lives on a volume, owned by the image's unprivileged `node` user (uid 1000).
RUN mkdir /data && chown node:node /data
VOLUME ["/data"]
ENV STATE_DB_PATH=/data/state.sqlite \
    PORT=3978
USER node
EXPOSE 3978
# Asks GET /readyz on loopback; the first minute is for the store to open (and for the classifiers to learn, should
# the saved ones not match the image's utterance files).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["node", "dist/healthcheck.js"]
CMD ["node", "dist/index.js"]
