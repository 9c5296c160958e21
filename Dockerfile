# KommA – production image. Runs against PostgreSQL (DATABASE_URL); see docs/operations.md.
FROM node:24-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts

FROM node:24-slim
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY src ./src
COPY drizzle ./drizzle
COPY public ./public
COPY scripts ./scripts
# The subset fonts and compressed assets are built once into the image (the app user may not
# write to node_modules); the server finds them at start and builds nothing (decision 007).
RUN node scripts/build-assets.ts
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:3000/health/ready').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "src/cli.ts", "serve"]
