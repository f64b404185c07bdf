import { ActionIcon, Code, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryState } from '../components/QueryState';
import { formatDateTime } from '../lib/format';
import type { AuditEntry, AuditFilter } from './api';
import { PagedTable } from './PagedTable';
import { useAudit } from './queries';

const PAGE = 25;
/** The action families the server records; a prefix filter (`user.`) matches each family. */
const ACTION_FAMILIES = ['user.', 'settings.', 'demo.', 'macro.', 'playbook.', 'mail.'] as const;
const TARGETS = ['user', 'settings', 'demo', 'macro', 'playbook', 'mail'] as const;

/** A local date (YYYY-MM-DD) as the ISO instant its day starts at, here. */
const dayStart = (date: string, plusDays = 0) => {
  const d = new Date(`${date}T00:00:00`);
  d.setDate(d.getDate() + plusDays);
  return d.toISOString();
};

export function AuditPage() {
  const { t } = useTranslation();
  useDocumentTitle(`${t('admin.sections.audit')} · ${t('app.name')}`);
  const [action, setAction] = useState('');
  const [targetType, setTargetType] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<string | null>(null);
  const filter: AuditFilter = {
    action,
    targetType,
    from: from ? dayStart(from) : '',
    // "To" is inclusive of its whole day.
    to: to ? dayStart(to, 1) : '',
    limit: PAGE,
    offset: (page - 1) * PAGE,
  };
  const audit = useAudit(filter);
  const reset =
    <T,>(setter: (v: T) => void) =>
    (v: T) => {
      setter(v);
      setPage(1);
    };

  return (
    <Stack gap="md">
      <Title order={2} size="h3">
        {t('admin.sections.audit')}
      </Title>
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm">
        <Select
          label={t('admin.audit.action')}
          value={action}
          data={[
            { value: '', label: t('admin.audit.anyAction') },
            ...ACTION_FAMILIES.map((a) => ({
              value: a,
              label: t(`admin.audit.families.${a.slice(0, -1) as (typeof TARGETS)[number]}`),
            })),
          ]}
          onChange={(v) => reset(setAction)(v ?? '')}
          allowDeselect={false}
        />
        <Select
          label={t('admin.audit.target')}
          value={targetType}
          data={[
            { value: '', label: t('admin.audit.anyTarget') },
            ...TARGETS.map((target) => ({ value: target, label: t(`admin.audit.targets.${target}`) })),
          ]}
          onChange={(v) => reset(setTargetType)(v ?? '')}
          allowDeselect={false}
        />
        <TextInput
          type="date"
          label={t('admin.audit.from')}
          value={from}
          onChange={(e) => reset(setFrom)(e.currentTarget.value)}
        />
        <TextInput
          type="date"
          label={t('admin.audit.to')}
          value={to}
          onChange={(e) => reset(setTo)(e.currentTarget.value)}
        />
      </SimpleGrid>
      <QueryState query={audit} loadingLabel={t('admin.audit.loading')} loading={{ skeleton: 8, height: 24 }}>
        {(data) => (
          <PagedTable
            total={data.total}
            page={page}
            pageSize={PAGE}
            onPage={setPage}
            count={t('admin.audit.count', { count: data.total })}
            empty={t('admin.audit.empty')}
            head={
              <>
                <Table.Th w={40} />
                <Table.Th>{t('admin.audit.when')}</Table.Th>
                <Table.Th>{t('admin.audit.who')}</Table.Th>
                <Table.Th>{t('admin.audit.action')}</Table.Th>
                <Table.Th>{t('admin.audit.target')}</Table.Th>
              </>
            }
          >
            {data.items.map((entry) => (
              <Fragment key={entry.id}>
                <Table.Tr>
                  <Table.Td>
                    <ActionIcon
                      variant="subtle"
                      aria-expanded={open === entry.id}
                      aria-label={t('admin.audit.details')}
                      onClick={() => setOpen(open === entry.id ? null : entry.id)}
                    >
                      {open === entry.id ? '▾' : '▸'}
                    </ActionIcon>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(entry.createdAt)}</Table.Td>
                  <Table.Td>{entry.actor?.name ?? t('admin.audit.system')}</Table.Td>
                  <Table.Td>
                    <Code>{entry.action}</Code>
                  </Table.Td>
                  <Table.Td>
                    {entry.targetType}
                    {entry.targetId ? ` · ${entry.targetId.slice(0, 8)}` : ''}
                  </Table.Td>
                </Table.Tr>
                {open === entry.id && (
                  <Table.Tr>
                    <Table.Td colSpan={5}>
                      <EntryDetails entry={entry} />
                    </Table.Td>
                  </Table.Tr>
                )}
              </Fragment>
            ))}
          </PagedTable>
        )}
      </QueryState>
    </Stack>
  );
}

function EntryDetails({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs">
      <Text size="xs" c="dimmed">
        {entry.actor ? `${entry.actor.name} <${entry.actor.email}>` : t('admin.audit.system')}
        {entry.targetId ? ` · ${entry.targetType} ${entry.targetId}` : ''}
        {entry.requestId ? ` · ${t('admin.audit.requestId')} ${entry.requestId}` : ''}
      </Text>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
        <div>
          <Text size="sm" fw={600}>
            {t('admin.audit.before')}
          </Text>
          <Code block style={{ maxHeight: 320, overflow: 'auto' }}>
            {entry.before === null ? '—' : JSON.stringify(entry.before, null, 2)}
          </Code>
        </div>
        <div>
          <Text size="sm" fw={600}>
            {t('admin.audit.after')}
          </Text>
          <Code block style={{ maxHeight: 320, overflow: 'auto' }}>
            {entry.after === null ? '—' : JSON.stringify(entry.after, null, 2)}
          </Code>
        </div>
      </SimpleGrid>
    </Stack>
  );
}
