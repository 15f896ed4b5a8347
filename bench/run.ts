/** `npm run bench -- <name>`: runs one benchmark; each prints progress and ends with one JSON line of figures. */
const benches: Record<string, () => Promise<unknown>> = {
  chat: () => import("./chat"),
  cluster: () => import("./cluster"),
  klaviyo: () => import("./klaviyo"),
  webhooks: () => import("./webhooks"),
  widget: () => import("./widget"),
};

const requested = process.argv[2];
const bench = requested ? benches[requested] : undefined;
if (!bench) {
  console.error(`Usage: npm run bench -- <${Object.keys(benches).join("|")}>`);
  process.exit(2);
}
await bench();

export {};
