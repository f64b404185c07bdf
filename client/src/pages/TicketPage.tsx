import { Alert, Button, Group, Stack } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { PageLoading } from '../components/QueryState';
import { describeError } from '../errors';
import { useSession } from '../lib/session';
import { isNotFound, isStaffUser, useTicket } from '../tickets/queries';
import { CustomerTicketView } from './ticket/CustomerTicketView';
import { StaffTicketView } from './ticket/StaffTicketView';

/** `/tickets/:id`: the customer's or the staff view of one ticket. */
export function TicketPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { session } = useSession();
  const ticket = useTicket(id);
  useDocumentTitle(
    ticket.data
      ? `#${ticket.data.number} ${ticket.data.subject} · ${t('app.name')}`
      : `${t('ticket.pageTitle')} · ${t('app.name')}`,
  );
  if (!session) return null;
  const me = session.user;

  if (ticket.isPending) return <PageLoading label={t('ticket.loading')} />;
  if (ticket.isError) {
    return (
      <Stack maw={560} mx="auto" py="xl">
        <Alert
          color={isNotFound(ticket.error) ? 'gray' : 'red'}
          title={t(isNotFound(ticket.error) ? 'ticket.notFoundTitle' : 'ticket.loadFailed')}
        >
          {isNotFound(ticket.error) ? t('ticket.notFoundBody') : describeError(ticket.error, t)}
        </Alert>
        <Group>
          <Button component={Link} to="/" variant="default">
            {t('notFound.home')}
          </Button>
          {!isNotFound(ticket.error) && (
            <Button onClick={() => void ticket.refetch()}>{t('common.retry')}</Button>
          )}
        </Group>
      </Stack>
    );
  }
  return isStaffUser(me) ? (
    <StaffTicketView key={id} ticket={ticket.data} me={me} />
  ) : (
    <CustomerTicketView key={id} ticket={ticket.data} me={me} />
  );
}
