/** Every socket of one user: all their tabs and devices. */
export const userRoom = (userId: string) => `user:${userId}`;
/** Every socket signed in through one session (`auth_sessions.id`): what signing out ends. */
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;
/** Everyone subscribed to a ticket (its customer and staff): public messages, typing, changes. */
export const ticketRoom = (ticketId: string) => `ticket:${ticketId}`;
/** Staff subscribed to a ticket: internal notes, internal typing, timeline entries. */
export const ticketStaffRoom = (ticketId: string) => `ticket:${ticketId}:staff`;
/** Every staff socket (so a customer-only emit can leave them out). */
export const STAFF_ROOM = 'staff';
/**
 * Staff sockets showing ticket lists right now (home tabs, /queue, the agents' load), by their own
 * `tickets:watch`: every ticket's changes and SLA alerts. Not every staff socket: with thousands
 * of agents, each change written to each of them was most of the server's time (bench:chat).
 */
export const LISTS_ROOM = 'staff:lists';
/** Sockets in a call's media room (one per person; a rejoin moves the person's membership). */
export const callRoom = (callId: string) => `call:${callId}`;
/** Sockets that opened a call's whiteboard. */
export const boardRoom = (callId: string) => `board:${callId}`;
/** Agents of one tier: new tickets in that tier's queue are announced here. */
export const tierRoom = (tier: string) => `staff:tier:${tier}`;
/** Supervisors and admins: they watch every queue. */
export const SUPERVISORS_ROOM = 'staff:supervisors';
