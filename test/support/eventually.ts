/**
 * Waits for background work (webhook jobs, Klaviyo delivery) to reach a state, polling instead of sleeping a
 * fixed time. The deadline only bounds a hung test; it asserts nothing about speed.
 */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, deadlineMs = 30_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw lastError instanceof Error ? lastError : new Error("condition was not met before the deadline");
}
