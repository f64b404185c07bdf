import { Alert, Badge, Button, Code, Group, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryState } from '../components/QueryState';
import { formatDateTime } from '../lib/format';
import type { MailFilter, MailItem, MailPage as MailPageData, MailState } from './api';
import { ErrorNotice } from './ErrorNotice';
import { PagedTable } from './PagedTable';
import { useMailOutbox, useRetryMail } from './queries';

const PAGE = 25;
const STATES: MailState[] = ['queued', 'sent', 'failed'];
const STATE_COLOR: Record<MailState, string> = { queued: 'blue', sent: 'teal', failed: 'red' };
/** The templates the server sends; an unknown kind (a newer server) is shown as it is. */
const KINDS = ['password_reset', 'invitation', 'reply', 'csat'] as const;

/**
 * The outgoing mail: what was sent, what waits for its next attempt, what was given up and why,
 * with a retry for a failed one; and where mail goes (SMTP, or the folder of the embedded default).
 */
export function MailPage() {
  const { t } = useTranslation();
  useDocumentTitle(`${t('admin.sections.mail')} · ${t('app.name')}`);
  const [state, setState] = useState<MailState | ''>('');
  const [page, setPage] = useState(1);
  const filter: MailFilter = { state, limit: PAGE, offset: (page - 1) * PAGE };
  const mail = useMailOutbox(filter);
  const retry = useRetryMail();

  return (
    <Stack gap="md">
      <Title order={2} size="h3">
        {t('admin.sections.mail')}
      </Title>
      {mail.data && <Delivery delivery={mail.data.delivery} />}
      <Select
        label={t('admin.mail.state')}
        value={state}
        data={[
          { value: '', label: t('admin.mail.anyState') },
          ...STATES.map((s) => ({ value: s, label: t(`admin.mail.states.${s}`) })),
        ]}
        onChange={(v) => {
          setState((v ?? '') as MailState | '');
          setPage(1);
        }}
        allowDeselect={false}
        w={{ base: '100%', xs: 220 }}
      />
      <ErrorNotice error={retry.error} />
      <QueryState query={mail} loadingLabel={t('admin.mail.loading')} loading={{ skeleton: 6, height: 28 }}>
        {(data) => (
          <PagedTable
            total={data.total}
            page={page}
            pageSize={PAGE}
            onPage={setPage}
            count={t('admin.mail.count', { count: data.total })}
            empty={state ? t('admin.mail.noMatch') : t('admin.mail.empty')}
            minWidth={760}
            cards={
              <Stack component="ul" gap="xs" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
                {data.items.map((item) => (
                  <MailCard
                    key={item.id}
                    item={item}
                    retrying={retry.isPending && retry.variables === item.id}
                    onRetry={() => retry.mutate(item.id)}
                  />
                ))}
              </Stack>
            }
            head={
              <>
                <Table.Th>{t('admin.mail.when')}</Table.Th>
                <Table.Th>{t('admin.mail.to')}</Table.Th>
                <Table.Th>{t('admin.mail.subject')}</Table.Th>
                <Table.Th>{t('admin.mail.state')}</Table.Th>
                <Table.Th>{t('admin.mail.attempts')}</Table.Th>
                <Table.Th />
              </>
            }
          >
            {data.items.map((item) => (
              <MailRow
                key={item.id}
                item={item}
                retrying={retry.isPending && retry.variables === item.id}
                onRetry={() => retry.mutate(item.id)}
              />
            ))}
          </PagedTable>
        )}
      </QueryState>
    </Stack>
  );
}

type RowProps = { item: MailItem; retrying: boolean; onRetry: () => void };

function useKindLabel(kind: string): string {
  const { t } = useTranslation();
  return (KINDS as readonly string[]).includes(kind)
    ? t(`admin.mail.kinds.${kind as (typeof KINDS)[number]}`)
    : kind;
}

/** The state, when it got there, and the last error: the same in a row and on a card. */
function StateCell({ item }: { item: MailItem }) {
  const { t } = useTranslation();
  return (
    <>
      <Badge color={STATE_COLOR[item.state]} variant="light">
        {t(`admin.mail.states.${item.state}`)}
      </Badge>
      <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
        {t(`admin.mail.at.${item.state}`, { time: formatDateTime(item.at) })}
      </Text>
      {item.lastError && (
        <Text size="xs" c="red" lineClamp={2} title={item.lastError}>
          {t('admin.mail.lastError', { error: item.lastError })}
        </Text>
      )}
    </>
  );
}

function RetryButton({ item, retrying, onRetry }: RowProps) {
  const { t } = useTranslation();
  if (item.state !== 'failed') return null;
  return (
    <Button
      size="xs"
      variant="default"
      loading={retrying}
      onClick={onRetry}
      aria-label={t('admin.mail.retryTo', { to: item.to })}
    >
      {t('admin.mail.retry')}
    </Button>
  );
}

function MailCard(props: RowProps) {
  const { t } = useTranslation();
  const { item } = props;
  const kind = useKindLabel(item.kind);
  return (
    <Paper component="li" withBorder p="sm" data-mail-state={item.state}>
      <Stack gap={4}>
        <Text size="sm" fw={500} style={{ wordBreak: 'break-word' }}>
          {item.subject}
        </Text>
        <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
          {kind} · {item.to} · {formatDateTime(item.createdAt)} ·{' '}
          {t('admin.mail.attemptsCount', { count: item.attempts })}
        </Text>
        <StateCell item={item} />
        <Group justify="flex-end">
          <RetryButton {...props} />
        </Group>
      </Stack>
    </Paper>
  );
}

function MailRow(props: RowProps) {
  const { item } = props;
  const kind = useKindLabel(item.kind);
  return (
    <Table.Tr data-mail-state={item.state}>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(item.createdAt)}</Table.Td>
      <Table.Td>{item.to}</Table.Td>
      <Table.Td>
        <Text size="sm" lineClamp={2}>
          {item.subject}
        </Text>
        <Text size="xs" c="dimmed">
          {kind}
        </Text>
      </Table.Td>
      <Table.Td>
        <StateCell item={item} />
      </Table.Td>
      <Table.Td>{item.attempts}</Table.Td>
      <Table.Td>
        <RetryButton {...props} />
      </Table.Td>
    </Table.Tr>
  );
}

function Delivery({ delivery }: { delivery: MailPageData['delivery'] }) {
  const { t } = useTranslation();
  if (delivery.kind === 'smtp') {
    return (
      <Text size="sm" c="dimmed">
        {t('admin.mail.viaSmtp')}
      </Text>
    );
  }
  return (
    <Alert color="blue" variant="light" title={t('admin.mail.folderTitle')}>
      <Text size="sm">{t('admin.mail.folderBody')}</Text>
      <Code block mt="xs" style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
        {delivery.folder}
      </Code>
      <Text size="sm" mt="xs">
        {t('admin.mail.folderHint')}
      </Text>
    </Alert>
  );
}
