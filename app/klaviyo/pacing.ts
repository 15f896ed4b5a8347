/**
 * Keeps one account's requests to one Klaviyo endpoint inside both of its limits (burst per second, steady per
 * minute). Klaviyo counts in fixed windows; never exceeding the limits in any sliding window of slightly more
 * than a second and a minute also keeps every fixed window inside them, whatever the clocks' alignment, and the
 * margin absorbs the time a request takes to reach Klaviyo.
 */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or early once `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const finish = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", finish);
        resolve();
      };
      const timer = setTimeout(finish, ms);
      signal?.addEventListener("abort", finish, { once: true });
    }),
};

export interface RateLimit {
  burst: number;
  steady: number;
}

const SECOND_WINDOW_MS = 1_050;
export const MINUTE_WINDOW_MS = 60_500;

export class RateLimiter {
  private readonly sent: number[] = [];
  private head = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly limit: RateLimit,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Counts requests another instance sent before this one took the account over (timestamps, any order). */
  prime(sentAt: number[]) {
    const now = this.clock.now();
    const recent = sentAt.filter((time) => time > now - MINUTE_WINDOW_MS && time <= now).sort((a, b) => a - b);
    this.sent.push(...recent.slice(-this.limit.steady));
    this.sent.sort((a, b) => a - b);
  }

  /** When the last request was granted; a limiter idle for a whole minute window remembers nothing that matters. */
  get lastGrantedAt(): number {
    return this.sent.at(-1) ?? Number.NEGATIVE_INFINITY;
  }

  /**
   * Resolves true when one more request may be sent, and counts it as sent; false if `signal` aborted first.
   * Callers are served in order.
   */
  acquire(signal?: AbortSignal): Promise<boolean> {
    const turn = this.queue.then(() => this.waitForSlot(signal));
    this.queue = turn.catch(() => false);
    return turn;
  }

  private async waitForSlot(signal?: AbortSignal): Promise<boolean> {
    for (;;) {
      if (signal?.aborted) return false;
      const now = this.clock.now();
      while (this.head < this.sent.length && this.sent[this.head]! <= now - MINUTE_WINDOW_MS) this.head++;
      if (this.head > 4096) {
        this.sent.splice(0, this.head);
        this.head = 0;
      }
      const inMinute = this.sent.length - this.head;
      const inSecond = this.sent.length - this.firstAfter(now - SECOND_WINDOW_MS);
      let waitUntil = 0;
      if (inMinute >= this.limit.steady) waitUntil = this.sent[this.sent.length - this.limit.steady]! + MINUTE_WINDOW_MS;
      if (inSecond >= this.limit.burst) waitUntil = Math.max(waitUntil, this.sent[this.sent.length - this.limit.burst]! + SECOND_WINDOW_MS);
      if (waitUntil <= now) {
        this.sent.push(now);
        return true;
      }
      await this.clock.sleep(waitUntil - now, signal);
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

/**
 * Capped exponential backoff with full jitter: anywhere between zero and the capped exponential, so the retries
 * of many events (and many app instances) spread out instead of hammering a recovering Klaviyo together.
 */
export function backoffDelayMs(attempt: number, random: () => number = Math.random, baseMs = 2_000, capMs = 10 * 60_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(random() * ceiling);
}
