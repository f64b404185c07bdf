# Livedesk image: builds the mediasoup worker (see docs/mediasoup.md) and the web client.
# The worker is built offline against Debian 12's libraries (npm 11 keeps mediasoup's own download
# script off), so the image builds the same way on a machine without the internet.
FROM node:20-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends \
      g++ pkg-config meson ninja-build libssl-dev libuv1-dev libsrtp2-dev libabsl-dev \
      libflatbuffers-dev flatbuffers-compiler \
    && rm -rf /var/lib/apt/lists/*
RUN npm install -g npm@11
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY media/build-worker.mjs media/build-worker.mjs
COPY media/worker-patches media/worker-patches
COPY .ci/install-system-packages.sh .ci/system-packages.txt .ci/
# The build packages are installed above and the runtime ones below; Chromium (tests only) is not
# needed in an image.
RUN LIVEDESK_SKIP_SYSTEM_DEPS=1 npm ci
COPY . .
RUN npm run build

FROM node:20-bookworm-slim
# FFmpeg for recordings; the shared libraries the media worker links against.
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg \
      libuv1 libssl3 libsrtp2-1 libabsl20220623 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/app/data
EXPOSE 3000
CMD ["npx", "tsx", "server/main.ts"]
