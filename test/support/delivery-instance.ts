import { startKlaviyoDelivery } from "../../app/klaviyo/delivery.server";

const milliseconds = (variable: string) => (process.env[variable] ? Number(process.env[variable]) : undefined);

/**
 * One app instance's delivery engine in its own process, so a test can kill it like a crashed server.
 * DELIVERY_LEASE_MS / DELIVERY_IDLE_LEASE_MS lengthen its leases, so a takeover that happens anyway shows the
 * instance's absence was noticed, not a lapse; DELIVERY_INSTANCE_ID names it.
 */
const engine = await startKlaviyoDelivery({
  pollIntervalMs: 100,
  bulkThreshold: Number(process.env.DELIVERY_BULK_THRESHOLD ?? 50),
  leaseMs: milliseconds("DELIVERY_LEASE_MS"),
  idleLeaseMs: milliseconds("DELIVERY_IDLE_LEASE_MS"),
  instanceId: process.env.DELIVERY_INSTANCE_ID,
});
console.log("delivery instance ready");
process.once("SIGTERM", () => {
  engine.stop().then(() => process.exit(0));
});
