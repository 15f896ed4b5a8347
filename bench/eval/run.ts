/** `npm run eval -- <name>`: runs one evaluation; each prints its cases and ends with one JSON line of figures. */
const evaluations: Record<string, () => Promise<unknown>> = {
  agent: () => import("./agent"),
};

const requested = process.argv[2];
const evaluation = requested ? evaluations[requested] : undefined;
if (!evaluation) {
  console.error(`Usage: npm run eval -- <${Object.keys(evaluations).join("|")}>`);
  process.exit(2);
}
await evaluation();

export {};
