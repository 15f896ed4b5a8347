import { startKlaviyoDelivery } from "../../app/klaviyo/delivery.server";

/** One app instance's delivery engine in its own process, so a test can kill it like a crashed server. */
const engine = await startKlaviyoDelivery({
  pollIntervalMs: 100,
  bulkThreshold: Number(process.env.DELIVERY_BULK_THRESHOLD ?? 50),
});
console.log("delivery instance ready");
process.once("SIGTERM", () => {
  engine.stop().then(() => process.exit(0));
});
