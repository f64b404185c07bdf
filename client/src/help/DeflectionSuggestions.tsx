// While a customer writes a new ticket: the help articles that match what they typed (debounced).
// Records the form session's deflection events: articles shown, one opened (in a new tab, so the
// form keeps what was typed), the ticket submitted anyway. Opened and never submitted = deflected.
import { Anchor, Paper, Stack, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { HelpLocale } from '../../../signaling/shared/help';
import { currentLanguage } from '../i18n';
import { helpApi, helpKeys } from './api';
import { HighlightedSnippet } from './Markdown';

/** One id per opened form: the deflection events of one attempt to write a ticket. */
export function newDeflectionSession(): string {
  return crypto.randomUUID().replace(/-/g, '');
}

/** Tells the server the ticket was submitted after all (fire and forget: never blocks the form). */
export function recordSubmitted(sessionId: string) {
  void helpApi.deflectionEvent({ sessionId, kind: 'submitted' }).catch(() => {});
}

export function DeflectionSuggestions({
  sessionId,
  subject,
  description,
}: {
  sessionId: string;
  subject: string;
  description: string;
}) {
  const { t } = useTranslation();
  const locale = currentLanguage() as HelpLocale;
  // The subject says most; the start of the description adds to it.
  const [text] = useDebouncedValue(`${subject} ${description.slice(0, 200)}`.trim(), 500);
  const results = useQuery({
    queryKey: helpKeys.search(text, locale),
    queryFn: ({ signal }) => helpApi.search(text, locale, signal),
    enabled: text.length >= 3,
    staleTime: 60_000,
  });
  const items = (results.data?.results ?? []).filter((r) => r.coverage >= 0.3).slice(0, 3);
  const shown = useRef(new Set<string>());
  useEffect(() => {
    const fresh = items.map((r) => r.id).filter((id) => !shown.current.has(id));
    if (fresh.length === 0) return;
    for (const id of fresh) shown.current.add(id);
    void helpApi.deflectionEvent({ sessionId, kind: 'shown', articleIds: fresh }).catch(() => {});
  }, [items, sessionId]);
  if (items.length === 0) return null;
  return (
    <Paper
      withBorder
      p="md"
      bg="blue.0"
      component="aside"
      aria-labelledby="suggestions-heading"
      aria-live="polite"
    >
      <Title order={2} fz="md" id="suggestions-heading" mb={4}>
        {t('help.deflection.suggestHeading')}
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        {t('help.deflection.suggestIntro')}
      </Text>
      <Stack gap="xs" data-testid="deflection-suggestions">
        {items.map((r) => (
          <div key={r.id}>
            <Anchor
              href={`/help/articles/${r.id}`}
              target="_blank"
              rel="noopener"
              fw={600}
              onClick={() =>
                void helpApi
                  .deflectionEvent({ sessionId, kind: 'opened', articleIds: [r.id] })
                  .catch(() => {})
              }
            >
              {r.title}
            </Anchor>
            <Text size="xs" c="dimmed" className="help-snippet" lineClamp={2}>
              <HighlightedSnippet text={r.snippet} highlights={r.highlights} />
            </Text>
          </div>
        ))}
      </Stack>
    </Paper>
  );
}
