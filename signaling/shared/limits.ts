// Limits both sides must agree on. The server enforces them; the client stays within them so that
// what it sends is never refused. Part of the shared leaf (signaling/shared/): imports nothing.

/**
 * The largest socket.io message the server reads (its `maxHttpBufferSize`). A bigger one closes
 * the connection before any handler parses it. Sized for the biggest valid payload: a frozen
 * screen frame of `BOARD_LIMITS.backgroundBytes` as a base64 data URL (4/3 larger), plus the rest
 * of the message.
 */
export const SOCKET_MESSAGE_MAX_BYTES = 6_000_000;

/** Bounds that keep one side of a whiteboard from flooding or corrupting the other's scene. */
export const BOARD_LIMITS = {
  elementsPerUpdate: 200,
  bytesPerElement: 64 * 1024,
  elementsPerScene: 5000,
  bytesPerScene: 5 * 1024 * 1024,
  /** Sustained updates per second per person, with a burst of twice that. */
  updatesPerSecond: 20,
  /** A frozen screen frame (the board's background image), decoded. */
  backgroundBytes: 3 * 1024 * 1024,
} as const;

/**
 * The client's own, smaller budgets. They are far below `SOCKET_MESSAGE_MAX_BYTES` on purpose:
 * a batch of edits or a frame of about 1 MB crosses a slow uplink in a second or two, while one of
 * 6 MB would hold back every later board update (and pointer) queued behind it.
 */
export const BOARD_CLIENT_BUDGETS = {
  /** Bytes of elements in one `board:update` batch; a batch stops short of this. */
  bytesPerUpdate: 900_000,
  /** Characters of a frame's data URL; larger frames are scaled down or compressed further. */
  frameDataUrlChars: 950_000,
} as const;
