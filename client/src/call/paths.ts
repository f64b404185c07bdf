/** The call page (`/tickets/:ticketId/call/:callId`), linked from the conversation while the call is live. */
export const callPath = (ticketId: string, callId: string) => `/tickets/${ticketId}/call/${callId}`;
