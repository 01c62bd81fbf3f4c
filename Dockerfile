# The recircle image. Its default command is the API (services/api/main.ts); the same image runs every
# other process a production operator runs, by command (see docker-compose.yml):
#   node --import tsx workers/payments.ts | workers/redemptions.ts | workers/indexer.ts | workers/webhooks.ts
#   node --import tsx scripts/start.ts --prepare-only   (deploy to a dev chain if needed, migrate, admin key)
FROM node:24-bookworm-slim
WORKDIR /app
ENV HARDHAT_DISABLE_TELEMETRY=true
# JSON log lines for log collectors; LOG_FORMAT=pretty for people.
ENV LOG_FORMAT=json
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx hardhat build --quiet && npm run build:web
EXPOSE 3000
CMD ["node", "--import", "tsx", "services/api/main.ts"]
