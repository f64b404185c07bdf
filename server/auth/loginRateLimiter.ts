import type { Redis } from 'ioredis';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import type { Config } from '../config';
import { AppError } from '../errors';

/**
 * Two limits on sign-in, both over a sliding window:
 *  - per IP address, every attempt counts (stops one client spraying many accounts);
 *  - per account, only failures count and a success clears them (stops guessing one password
 *    from many addresses, without locking out a user who finally types it right).
 * Counters live in memory on one node, or in Redis (when configured) so every node shares them.
 */
export class LoginRateLimiter {
  private readonly perIp: RateLimiterAbstract;
  private readonly perAccount: RateLimiterAbstract;

  constructor(limits: Config['auth']['login'], redis?: Redis, keyPrefix = 'livedesk') {
    const make = (name: string, points: number) => {
      const options = { keyPrefix: `${keyPrefix}:${name}`, points, duration: limits.windowSeconds };
      return redis
        ? new RateLimiterRedis({ ...options, storeClient: redis })
        : new RateLimiterMemory(options);
    };
    this.perIp = make('login_ip', limits.maxAttemptsPerIp);
    this.perAccount = make('login_account', limits.maxFailuresPerAccount);
  }

  /** Call before checking the password; throws `rate_limited` when either limit is spent. */
  async beforeAttempt(ip: string, accountKey: string): Promise<void> {
    const account = await this.perAccount.get(accountKey);
    if (account && account.remainingPoints <= 0) throw limited(account);
    try {
      await this.perIp.consume(ip);
    } catch (res) {
      if (res instanceof RateLimiterRes) throw limited(res);
      throw res;
    }
  }

  async recordFailure(accountKey: string): Promise<void> {
    try {
      await this.perAccount.consume(accountKey);
    } catch (res) {
      // The failure that spends the last point is itself still reported as a wrong password;
      // the next attempt is the one refused.
      if (!(res instanceof RateLimiterRes)) throw res;
    }
  }

  async recordSuccess(accountKey: string): Promise<void> {
    await this.perAccount.delete(accountKey);
  }
}

function limited(res: RateLimiterRes): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  return new AppError(
    'rate_limited',
    `Too many sign-in attempts. Try again in ${retryAfterSeconds} seconds.`,
    { retryAfterSeconds },
  );
}
