// Which ticket this tab shows right now: a customer's message there is read as it arrives, so it
// neither toasts nor counts as unread. Set by the ticket page (useMarkRead).
let viewing: string | undefined;

export const ticketOnScreen = {
  set(ticketId: string | undefined): void {
    viewing = ticketId;
  },
  /** The tab is visible and shows this ticket. */
  is(ticketId: string): boolean {
    return viewing === ticketId && typeof document !== 'undefined' && document.visibilityState === 'visible';
  },
};
