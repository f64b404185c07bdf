/**
 * A media operation the client asked for that cannot be done (unknown transport, cannot consume,
 * …). The signaling layer maps it to a `bad_request`/`not_found` ack; the room keeps working.
 * `message` is shown to the client, so it is always our own wording; when mediasoup refused the
 * request its error is the `cause`, which the signaling layer logs and never sends.
 */
export class MediaError extends Error {
  constructor(
    readonly code: 'not_found' | 'bad_request' | 'conflict' | 'unavailable',
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = 'MediaError';
  }
}
