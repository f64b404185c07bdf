import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { UserLimitsConfig } from '../config';
import { AppError } from '../errors';

/**
 * Per-person limits on the live paths: chat messages, typing updates, whiteboard backgrounds.
 * One person's flood is refused (or, for typing, dropped) and nobody else notices.
 *
 * In memory on purpose: the chat limit sits on the path every message takes, so it costs one map
 * lookup and no database or Redis round trip. The price is that the limits are per node: behind a
 * load balancer with sticky sessions a person's sockets stay on one node, so that is where their
 * flood lands (docs/decisions.md, issue 16).
 */
export class UserLimits {
  private readonly chat: BurstyRateLimiter | RateLimiterMemory;
  private readonly typingLimiter: RateLimiterMemory;
  private readonly boardImages: RateLimiterMemory;
  private readonly boardImageBytes: RateLimiterMemory;
  private readonly counts = { chatRefused: 0, typingDropped: 0, boardImagesRefused: 0 };

  constructor(config: UserLimitsConfig) {
    // A steady rate, plus a burst that a person typing quickly (or pasting a few lines) spends
    // first and gets back within the minute.
    const steady = new RateLimiterMemory({
      keyPrefix: 'chat',
      points: config.chat.per10Seconds,
      duration: 10,
    });
    this.chat =
      config.chat.burst > 0
        ? new BurstyRateLimiter(
            steady,
            new RateLimiterMemory({ keyPrefix: 'chat_burst', points: config.chat.burst, duration: 60 }),
          )
        : steady;
    this.typingLimiter = new RateLimiterMemory({
      keyPrefix: 'typing',
      points: config.typingPer10Seconds,
      duration: 10,
    });
    this.boardImages = new RateLimiterMemory({
      keyPrefix: 'board_images',
      points: config.boardImages.perMinute,
      duration: 60,
    });
    this.boardImageBytes = new RateLimiterMemory({
      keyPrefix: 'board_image_bytes',
      points: config.boardImages.bytesPerMinute,
      duration: 60,
    });
  }

  /** Before a chat message is stored; throws `rate_limited` with the wait when the person is over. */
  async chatMessage(userId: string): Promise<void> {
    try {
      await this.chat.consume(userId);
    } catch (res) {
      this.counts.chatRefused++;
      throw limited(res, 'You are sending messages too fast. Wait a moment, then send again.');
    }
  }

  /**
   * Whether this typing update may be relayed. Over the limit it is dropped without an error: a
   * typing flag is worth nothing late, and the sender's UI has nothing to show for it. The drops
   * are counted (`stats`).
   */
  async typing(userId: string): Promise<boolean> {
    try {
      await this.typingLimiter.consume(userId);
      return true;
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) throw res;
      this.counts.typingDropped++;
      return false;
    }
  }

  /** Before a whiteboard background is stored and relayed: how many and how many bytes a minute. */
  async boardImage(userId: string, bytes: number): Promise<void> {
    try {
      await this.boardImages.consume(userId);
    } catch (res) {
      this.counts.boardImagesRefused++;
      throw limited(res, 'Too many board backgrounds in a short time. Wait a moment, then try again.');
    }
    try {
      await this.boardImageBytes.consume(userId, bytes);
    } catch (res) {
      this.counts.boardImagesRefused++;
      throw limited(res, 'Too much board background data in a short time. Wait a moment, then try again.');
    }
  }

  /** What was refused or dropped since start (operations, tests). */
  stats(): { chatRefused: number; typingDropped: number; boardImagesRefused: number } {
    return { ...this.counts };
  }
}

/** A refusal from rate-limiter-flexible as `rate_limited` with the wait it gives. */
export function limited(res: unknown, message: string): AppError {
  if (!(res instanceof RateLimiterRes)) throw res;
  const retryAfterSeconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  return new AppError('rate_limited', message, { retryAfterSeconds });
}
