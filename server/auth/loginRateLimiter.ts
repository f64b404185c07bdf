import type { Redis } from 'ioredis';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  type RateLimiterRes,
} from 'rate-limiter-flexible';
import type { LoginLimits } from '../config';
import { AppError } from '../errors';

/** The first wait once failures pass a limit; each further failure doubles it (up to the maximum). */
const FIRST_DELAY_SECONDS = 15;
/** Failures are counted far past any limit; the count only decides how long the wait is. */
const COUNT_CEILING = 1_000_000;

/**
 * Sign-in limits that an attacker cannot turn against the real user (issue 16: five wrong
 * passwords from anywhere used to lock the account for everyone for 15 minutes). Only failures
 * count, each against two keys:
 *  - the account *from this address*: guessing one password from one place slows down, while the
 *    account's owner signing in from elsewhere is not affected; a success clears it;
 *  - the address, whatever the account: one client spraying many accounts slows down.
 * Past a limit, every further failure makes that key wait longer (15 s, 30 s, 60 s, … up to
 * `maxDelaySeconds`), and an attempt during the wait is refused with `rate_limited` and its
 * Retry-After before the password is even looked at. The keys use the e-mail address as typed
 * (normalised), never whether it exists, so known and unknown addresses behave and time alike.
 * Counters live in memory on one node, or in Redis (when configured) so every node shares them.
 */
export class LoginRateLimiter {
  private readonly failures: { ip: RateLimiterAbstract; account: RateLimiterAbstract };
  private readonly waits: { ip: RateLimiterAbstract; account: RateLimiterAbstract };

  constructor(
    private readonly limits: LoginLimits,
    redis?: Redis,
    keyPrefix = 'livedesk',
  ) {
    const make = (name: string, points: number, duration: number) => {
      const options = { keyPrefix: `${keyPrefix}:${name}`, points, duration };
      return redis
        ? new RateLimiterRedis({ ...options, storeClient: redis })
        : new RateLimiterMemory(options);
    };
    this.failures = {
      ip: make('login_fail_ip', COUNT_CEILING, limits.windowSeconds),
      account: make('login_fail_account_ip', COUNT_CEILING, limits.windowSeconds),
    };
    // One point each: a key is waiting while `block` holds it.
    this.waits = {
      ip: make('login_wait_ip', 1, limits.windowSeconds),
      account: make('login_wait_account_ip', 1, limits.windowSeconds),
    };
  }

  /** Call before checking the password; throws `rate_limited` while either key is waiting. */
  async beforeAttempt(ip: string, email: string): Promise<void> {
    const [byAccount, byIp] = await Promise.all([
      this.waits.account.get(accountKey(email, ip)),
      this.waits.ip.get(ip),
    ]);
    const waiting = [byAccount, byIp].filter((r): r is RateLimiterRes => r !== null && r.consumedPoints > 1);
    if (waiting.length > 0) throw limited(Math.max(...waiting.map((r) => r.msBeforeNext)));
  }

  /** A wrong password (or an unknown address): counts against both keys, and may start a wait. */
  async recordFailure(ip: string, email: string): Promise<void> {
    const key = accountKey(email, ip);
    await Promise.all([
      this.count(this.failures.account, this.waits.account, key, this.limits.maxFailuresPerAccount),
      this.count(this.failures.ip, this.waits.ip, ip, this.limits.maxFailuresPerIp),
    ]);
  }

  /** The right password from this address: its failures on this account are forgotten. */
  async recordSuccess(ip: string, email: string): Promise<void> {
    const key = accountKey(email, ip);
    await Promise.all([this.failures.account.delete(key), this.waits.account.delete(key)]);
  }

  private async count(
    failures: RateLimiterAbstract,
    waits: RateLimiterAbstract,
    key: string,
    limit: number,
  ): Promise<void> {
    const res = await failures.consume(key);
    const over = res.consumedPoints - limit;
    // The failure that reaches the limit is itself still answered as a wrong password; the next
    // attempt is the one that waits.
    if (over < 0) return;
    const seconds = Math.min(this.limits.maxDelaySeconds, FIRST_DELAY_SECONDS * 2 ** Math.min(over, 20));
    await waits.block(key, seconds);
  }
}

const accountKey = (email: string, ip: string) => `${email.trim().toLowerCase()}|${ip}`;

function limited(msBeforeNext: number): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new AppError(
    'rate_limited',
    `Too many failed sign-ins from this address. Try again in ${retryAfterSeconds} seconds.`,
    { retryAfterSeconds },
  );
}
