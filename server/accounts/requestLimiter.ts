import type { Redis } from 'ioredis';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import { AppError } from '../errors';

/** Password-reset mails per typed e-mail address and hour: enough for a lost mail, too few to flood an inbox. */
export const RESET_PER_EMAIL_PER_HOUR = 3;
/** Password-reset requests per client address and hour (any e-mail address). */
export const RESET_PER_IP_PER_HOUR = 20;
/** New accounts per client address and hour. */
export const SIGNUPS_PER_IP_PER_HOUR = 10;

/**
 * Limits on the public account requests that send mail or create accounts, kept like the sign-in
 * limits: in memory on one node, in Redis when configured so every node shares them. Keys use the
 * address as typed, never whether an account exists, so the answers reveal nothing.
 */
export class AccountRequestLimiter {
  private readonly resetByEmail: RateLimiterAbstract;
  private readonly resetByIp: RateLimiterAbstract;
  private readonly signupByIp: RateLimiterAbstract;

  constructor(redis?: Redis, keyPrefix = 'livedesk') {
    const make = (name: string, points: number) => {
      const options = { keyPrefix: `${keyPrefix}:${name}`, points, duration: 3600 };
      return redis
        ? new RateLimiterRedis({ ...options, storeClient: redis })
        : new RateLimiterMemory(options);
    };
    this.resetByEmail = make('reset_email', RESET_PER_EMAIL_PER_HOUR);
    this.resetByIp = make('reset_ip', RESET_PER_IP_PER_HOUR);
    this.signupByIp = make('signup_ip', SIGNUPS_PER_IP_PER_HOUR);
  }

  async passwordReset(ip: string, email: string): Promise<void> {
    await take(this.resetByIp, ip, 'Too many password-reset requests from this address.');
    await take(
      this.resetByEmail,
      email.trim().toLowerCase(),
      'Too many password-reset requests for this e-mail address.',
    );
  }

  signup(ip: string): Promise<void> {
    return take(this.signupByIp, ip, 'Too many new accounts from this address.');
  }
}

async function take(limiter: RateLimiterAbstract, key: string, message: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (err) {
    if (!(err instanceof RateLimiterRes)) throw err;
    const retryAfterSeconds = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
    throw new AppError('rate_limited', `${message} Try again in ${retryAfterSeconds} seconds.`, {
      retryAfterSeconds,
    });
  }
}
