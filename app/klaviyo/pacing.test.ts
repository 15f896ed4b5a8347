import { describe, expect, it } from "vitest";
import { backoffDelayMs, RateLimiter, type Clock } from "./pacing";

/** A clock that only moves when the limiter sleeps: the test sees exactly when each request would be sent. */
function virtualClock(): Clock & { time: number } {
  const clock = {
    time: 1_000_000,
    now: () => clock.time,
    sleep: async (ms: number) => {
      clock.time += ms;
    },
  };
  return clock;
}

function maxInAnyWindow(times: number[], windowMs: number) {
  let best = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while (times[end]! - times[start]! >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

describe("rate limiter", () => {
  it("never exceeds Klaviyo's burst or steady limit in any window, yet runs at the steady ceiling", async () => {
    const clock = virtualClock();
    const limiter = new RateLimiter({ burst: 350, steady: 3500 }, clock);
    const sent: number[] = [];
    for (let request = 0; request < 10_500; request++) {
      await limiter.acquire();
      sent.push(clock.now());
    }
    expect(maxInAnyWindow(sent, 1000)).toBeLessThanOrEqual(350);
    expect(maxInAnyWindow(sent, 60_000)).toBeLessThanOrEqual(3500);
    const minutes = (sent.at(-1)! - sent[0]!) / 60_000;
    expect(10_500 / Math.ceil(minutes)).toBeGreaterThanOrEqual(3500 * 0.95);
  });

  it("serves concurrent callers in order without over-granting", async () => {
    const clock = virtualClock();
    const limiter = new RateLimiter({ burst: 2, steady: 100 }, clock);
    const order: number[] = [];
    await Promise.all([1, 2, 3, 4].map((id) => limiter.acquire().then(() => order.push(id))));
    expect(order).toEqual([1, 2, 3, 4]);
  });

  it("counts what another instance sent in the last minute before granting more", async () => {
    const clock = virtualClock();
    const limiter = new RateLimiter({ burst: 350, steady: 3500 }, clock);
    limiter.prime(Array.from({ length: 3500 }, (_, index) => clock.now() - 30_000 + index));
    const before = clock.now();
    await limiter.acquire();
    expect(clock.now() - before).toBeGreaterThanOrEqual(30_000);
  });

  it("gives up waiting when told to stop, without counting a request", async () => {
    const limiter = new RateLimiter({ burst: 1, steady: 1 });
    expect(await limiter.acquire()).toBe(true);
    const stop = new AbortController();
    const waiting = limiter.acquire(stop.signal);
    stop.abort();
    expect(await waiting).toBe(false);
  });
});

describe("retry backoff", () => {
  it("grows exponentially, is capped at ten minutes, and is fully jittered below that", () => {
    expect(backoffDelayMs(1, () => 1)).toBe(2000);
    expect(backoffDelayMs(4, () => 1)).toBe(16_000);
    expect(backoffDelayMs(30, () => 1)).toBe(600_000);
    expect(backoffDelayMs(30, () => 0.5)).toBe(300_000);
    expect(backoffDelayMs(4, () => 0)).toBe(0);
  });
});
