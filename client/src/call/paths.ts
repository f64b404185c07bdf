/** The call page, as the server posts it into the conversation (`/tickets/:ticketId/call/:callId`). */
export const callPath = (ticketId: string, callId: string) => `/tickets/${ticketId}/call/${callId}`;
