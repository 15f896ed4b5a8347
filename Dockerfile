# The app image: build once, run any number of instances (README: Deployment). Migrations run once per deploy,
# before the new instances start: `docker run --env-file prod.env IMAGE npm run db:migrate`.

FROM node:24-bookworm-slim AS build
WORKDIR /app
# postinstall generates the Prisma client from the schema: both go in before `npm ci`.
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY scripts/prisma-generate.mjs ./scripts/
RUN npm ci
COPY . .
RUN npm run build

FROM node:24-bookworm-slim
ENV NODE_ENV=production PORT=3000
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY scripts/prisma-generate.mjs ./scripts/
RUN npm ci --omit=dev && npm cache clean --force
# server.ts loads the built Remix app and, through tsx, the few modules it needs before that (config, migrations,
# health, metrics): the sources of app/ come along for those.
COPY --from=build /app/build ./build
COPY --from=build /app/public ./public
COPY server.ts tsconfig.json env.d.ts ./
COPY app ./app
COPY scripts/migrate.ts ./scripts/
USER node
EXPOSE 3000
# Orchestrators should probe /healthz (liveness) and /readyz (readiness) themselves; this is for plain Docker.
HEALTHCHECK --interval=10s --timeout=3s CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["npm", "start"]
