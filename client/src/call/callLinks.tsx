import { Anchor } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

const CALL_PATH = /\/tickets\/[0-9a-f-]{36}\/call\/[0-9a-f-]{36}/gi;

/**
 * Turns the call link the server posts into a conversation ("Join it: /tickets/…/call/…") into a
 * link inside the app, labelled `label`, so the customer can (re)join the call from the ticket.
 */
export function withCallLinks(text: string, label: string): ReactNode {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(CALL_PATH)) {
    const at = match.index ?? 0;
    parts.push(text.slice(last, at));
    parts.push(
      <Anchor key={at} component={Link} to={match[0]} size="xs" fs="normal" fw={600} data-call-link="true">
        {label}
      </Anchor>,
    );
    last = at + match[0].length;
  }
  if (parts.length === 0) return text;
  parts.push(text.slice(last));
  return parts;
}
