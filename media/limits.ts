/**
 * What one call may hold in the SFU, set to what the product uses: each person has one send and
 * one receive transport, sends at most a microphone, a camera and a screen, and receives each of
 * the others' tracks once. A call is one-to-one, and a supervisor may join it visibly; one more
 * place covers a person re-joining from a second device while the first is still there.
 *
 * Without these, one participant could ask for transports until the worker's port range was
 * exhausted and every other call's media set-up failed (issue 16). The excess is refused with
 * `media_limit`; the room and every other room keep working.
 */
export const MEDIA_LIMITS = {
  /** Per peer and direction: one send transport, one receive transport. */
  transportsPerDirection: 1,
  /** Per peer: microphone, camera, screen. */
  producersPerPeer: 3,
  /** People with a media connection to one call (in it or on the device check). */
  peersPerRoom: 4,
} as const;

/** Per peer: every track of every other peer in a full room, once. */
export const CONSUMERS_PER_PEER = (MEDIA_LIMITS.peersPerRoom - 1) * MEDIA_LIMITS.producersPerPeer;
