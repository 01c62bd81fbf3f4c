# The recircle image: the API (and, with another command, a development Hardhat node).
FROM node:24-bookworm-slim
WORKDIR /app
ENV HARDHAT_DISABLE_TELEMETRY=true
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx hardhat build --quiet && npm run build:web
EXPOSE 3000
CMD ["npx", "tsx", "scripts/start.ts"]
