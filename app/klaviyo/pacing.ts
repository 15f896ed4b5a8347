/**
 * Keeps one account's requests to one Klaviyo endpoint inside both of its limits (burst per second, steady per
 * minute). Klaviyo counts in fixed windows; never exceeding the limits in any sliding window of slightly more
 * than a second and a minute also keeps every fixed window inside them, whatever the clocks' alignment.
 */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

const SECOND_WINDOW_MS = 1_050;
const MINUTE_WINDOW_MS = 60_500;

export class RateLimiter {
  private readonly sent: number[] = [];
  private head = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly burst: number,
    readonly steady: number,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Counts requests another instance sent before this one took the account over (timestamps, oldest first). */
  prime(sentAt: number[]) {
    const now = this.clock.now();
    this.sent.push(...sentAt.filter((time) => time > now - MINUTE_WINDOW_MS && time <= now).slice(-this.steady));
    this.sent.sort((a, b) => a - b);
  }

  /** Resolves when one more request may be sent, and counts it as sent. Callers are served in order. */
  acquire(): Promise<void> {
    const turn = this.queue.then(() => this.waitForSlot());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async waitForSlot(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      while (this.head < this.sent.length && this.sent[this.head]! <= now - MINUTE_WINDOW_MS) this.head++;
      if (this.head > 4096) {
        this.sent.splice(0, this.head);
        this.head = 0;
      }
      const inMinute = this.sent.length - this.head;
      const secondStart = this.firstAfter(now - SECOND_WINDOW_MS);
      const inSecond = this.sent.length - secondStart;
      let waitUntil = 0;
      if (inMinute >= this.steady) waitUntil = this.sent[this.sent.length - this.steady]! + MINUTE_WINDOW_MS;
      if (inSecond >= this.burst) waitUntil = Math.max(waitUntil, this.sent[this.sent.length - this.burst]! + SECOND_WINDOW_MS);
      if (waitUntil <= now) {
        this.sent.push(now);
        return;
      }
      await this.clock.sleep(waitUntil - now);
    }
  }

  private firstAfter(time: number): number {
    let low = this.head;
    let high = this.sent.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.sent[middle]! <= time) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

/** Capped exponential backoff with jitter (half fixed, half random): retries spread out instead of hammering a recovering Klaviyo. */
export function backoffDelayMs(attempt: number, random: () => number = Math.random, baseMs = 2_000, capMs = 10 * 60_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
