/**
 * A media operation the client asked for that cannot be done: `not_found` (an id that is not this
 * peer's), `bad_request` (parameters mediasoup refused), `conflict` (the call ended, the peer was
 * replaced meanwhile), `media_limit` (more transports, tracks or people than a call uses; see
 * MEDIA_LIMITS), `unavailable` (no live worker, or no free port on it). MediaSession turns it into a result error
 * with the same code; the room keeps working.
 * `message` is shown to the client, so it is always our own wording; when mediasoup refused the
 * request its error is the `cause`, which the signaling layer logs and never sends.
 */
export class MediaError extends Error {
  constructor(
    readonly code: 'not_found' | 'bad_request' | 'conflict' | 'media_limit' | 'unavailable',
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = 'MediaError';
  }
}
