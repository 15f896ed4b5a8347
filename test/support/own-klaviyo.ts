import { afterAll } from "vitest";
import { startFakeKlaviyo } from "../../fakes/klaviyo/server";

/**
 * Imported right after engine-database by test files that run the app's whole background work in their own process:
 * a fake Klaviyo of their own, set as KLAVIYO_API_URL before anything reads the configuration.
 */
export const ownFakeKlaviyo = await startFakeKlaviyo();
process.env.KLAVIYO_API_URL = ownFakeKlaviyo.url;

afterAll(async () => {
  await ownFakeKlaviyo.close();
});
