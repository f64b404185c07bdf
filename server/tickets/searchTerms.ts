// What a ticket's search document (`ticket_search`, issue 17) is made of. The terms come from the
// one shared tokenizer (jieba for Chinese, stemmed English); this module only picks the texts and
// bounds the terms so `array_to_tsvector` accepts them.
import { documentTerms } from '../search/textTokens';

/** PostgreSQL refuses lexemes over 2 KB; a long run of digits or letters is no search term anyway. */
const MAX_TERM_LENGTH = 64;

/** Distinct terms (a tsvector without positions keeps each term once), bounded in length. */
function distinctTerms(...texts: string[]): string[] {
  const out = new Set<string>();
  for (const text of texts) {
    for (const term of documentTerms(text)) if (term.length <= MAX_TERM_LENGTH) out.add(term);
  }
  return [...out];
}

/** The ticket's own words: its number (an agent types "1042"), subject and description. */
export const ticketTerms = (ticket: { number: number; subject: string; description: string }) =>
  distinctTerms(String(ticket.number), ticket.subject, ticket.description);

/** A message's words, appended to the document when it is stored. */
export const messageTerms = (body: string) => distinctTerms(body);

/** The requester's name and e-mail address (its parts: "zhang.wei@example.com" → zhang, wei …). */
export const customerTerms = (customer: { name: string; email: string }) =>
  distinctTerms(customer.name, customer.email);
