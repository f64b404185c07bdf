// Which CSAT prompts this browser already showed and the customer put off ("Later"), so the prompt
// opens once per ticket instead of on every visit. The card on the ticket page stays either way.
const key = (ticketId: string) => `livedesk.csatPrompt.${ticketId}`;

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    // Storage blocked (private mode, policy): the prompt then opens on each visit.
    return undefined;
  }
}

export const csatPromptPutOff = (ticketId: string) => storage()?.getItem(key(ticketId)) === '1';

export function putOffCsatPrompt(ticketId: string): void {
  storage()?.setItem(key(ticketId), '1');
}
