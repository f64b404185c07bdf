// On a staff ticket: the articles written from it, and "Create article" once it is solved.
import { Anchor, Badge, Button, Paper, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { HelpLocale } from '../../../signaling/shared/help';
import type { PublicUser, TicketView } from '../../../signaling/shared/protocol';
import { describeError } from '../errors';
import { currentLanguage } from '../i18n';
import { canAuthorArticles } from './ArticlesPage';
import { helpApi, helpKeys } from './api';

export function TicketArticles({ ticket, me }: { ticket: TicketView; me: PublicUser }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const author = canAuthorArticles(me);
  const articles = useQuery({
    queryKey: helpKeys.ticketArticles(ticket.id),
    queryFn: () => helpApi.ticketArticles(ticket.id),
    enabled: author || me.role === 'qa',
  });
  const create = useMutation({
    mutationFn: () => helpApi.fromTicket(ticket.id, currentLanguage() as HelpLocale),
    onSuccess: (a) => {
      void queryClient.invalidateQueries({ queryKey: helpKeys.ticketArticles(ticket.id) });
      void navigate(`/articles/${a.id}`);
    },
  });
  const solved = ticket.status === 'solved' || ticket.status === 'closed';
  const items = articles.data?.items ?? [];
  if (!author && items.length === 0) return null;
  if (!solved && items.length === 0) return null;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="ticket-articles-heading">
      <Title order={3} fz="md" id="ticket-articles-heading" mb="xs">
        {t('help.ticket.heading')}
      </Title>
      <Stack gap={6}>
        {items.map((a) => (
          <Anchor key={a.id} component={Link} to={`/articles/${a.id}`} size="sm">
            {a.title}{' '}
            <Badge size="xs" variant="light" color={a.status === 'published' ? 'teal' : 'gray'}>
              {t(`help.status.${a.status as 'draft'}`)}
            </Badge>
          </Anchor>
        ))}
        {author && solved && (
          <>
            {items.length === 0 && (
              <Text size="sm" c="dimmed">
                {t('help.ticket.prompt')}
              </Text>
            )}
            <Button size="xs" variant="light" onClick={() => create.mutate()} loading={create.isPending}>
              {t('help.ticket.create')}
            </Button>
          </>
        )}
        {create.isError && (
          <Text size="sm" c="red" role="alert">
            {describeError(create.error, t)}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
