# Livedesk image: builds the mediasoup worker (see docs/mediasoup.md) and the web client.
FROM node:20-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
RUN npm install -g npm@11
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY media/build-worker.mjs media/build-worker.mjs
COPY .ci/install-system-packages.sh .ci/system-packages.txt .ci/
# The image's own stage below installs FFmpeg; Chromium (tests only) is not needed in an image.
RUN LIVEDESK_SKIP_SYSTEM_DEPS=1 npm ci
COPY . .
RUN npm run build

FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/app/data
EXPOSE 3000
CMD ["npx", "tsx", "server/main.ts"]
