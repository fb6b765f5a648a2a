/**
 * When a failed delivery is tried again. Pure: the attempt number, the time of the first attempt and a random number
 * in [0, 1) come in; the time of the next attempt (or null: give up) goes out.
 *
 * Production (Stripe-like): about 5 s, 30 s, 2 min, 10 min, 1 h after the previous attempt, then hourly until 3 days
 * after the first attempt. Each delay is scaled by a jitter factor in [1 - JITTER, 1 + JITTER) so many endpoints
 * failing together do not retry in lockstep. Tests replace the delays (WEBHOOK_RETRY_SCHEDULE_MS, a documented var)
 * and then give up when the list ends.
 */

export interface RetrySchedule {
  /** Delay after attempt 1, 2, ... (ms). */
  delaysMs: readonly number[];
  /** After the list: this delay again and again (null: give up when the list ends). */
  thenEveryMs: number | null;
  /** No attempt is scheduled later than this after the first attempt. */
  giveUpAfterMs: number;
  /** Relative jitter, e.g. 0.2 = +-20%. */
  jitter: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export const PRODUCTION_SCHEDULE: RetrySchedule = {
  delaysMs: [5 * SECOND, 30 * SECOND, 2 * MINUTE, 10 * MINUTE, HOUR],
  thenEveryMs: HOUR,
  giveUpAfterMs: 72 * HOUR,
  jitter: 0.2,
};

/**
 * Parses the test-only override: comma-separated delays in ms ("200,400,800"), at most 20 of 1..3,600,000 ms each.
 * Returns null for anything else, so a typo falls back to the production schedule instead of retrying wildly.
 */
export function parseScheduleOverride(raw: string | undefined): RetrySchedule | null {
  if (raw === undefined || raw.trim() === "") return null;
  const parts = raw.split(",").map((s) => s.trim());
  if (parts.length === 0 || parts.length > 20 || !parts.every((p) => /^\d{1,7}$/.test(p))) return null;
  const delaysMs = parts.map(Number);
  if (!delaysMs.every((d) => d >= 1 && d <= HOUR)) return null;
  const total = delaysMs.reduce((a, b) => a + b, 0);
  return { delaysMs, thenEveryMs: null, giveUpAfterMs: total * 2 + SECOND, jitter: 0.2 };
}

/** The base delay after attempt `attempt` (1-based), before jitter; null when the schedule is exhausted. */
export function baseDelayMs(s: RetrySchedule, attempt: number): number | null {
  const listed = s.delaysMs[attempt - 1];
  if (listed !== undefined) return listed;
  return s.thenEveryMs;
}

/**
 * Time of the attempt after `attempt` failed at `now`, or null (give up): when the schedule has no further delay,
 * or the next attempt would fall after giveUpAfterMs from the first attempt. `random` is in [0, 1).
 */
export function nextAttemptAt(s: RetrySchedule, attempt: number, firstAttemptAt: number, now: number, random: number): number | null {
  const base = baseDelayMs(s, attempt);
  if (base === null) return null;
  // Rounded to whole ms (up: never earlier than the jittered delay), and at least 1 ms after now.
  const delay = Math.max(1, Math.ceil(base * (1 - s.jitter + 2 * s.jitter * random)));
  const at = now + delay;
  if (at - firstAttemptAt > s.giveUpAfterMs) return null;
  return at;
}
