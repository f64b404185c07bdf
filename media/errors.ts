/**
 * A media operation the client asked for that cannot be done (unknown transport, cannot consume,
 * …). The signaling layer maps it to a `bad_request`/`not_found` ack; the room keeps working.
 */
export class MediaError extends Error {
  constructor(
    readonly code: 'not_found' | 'bad_request' | 'conflict' | 'unavailable',
    message: string,
  ) {
    super(message);
    this.name = 'MediaError';
  }
}
