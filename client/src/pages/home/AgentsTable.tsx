import { Badge, EmptyState, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { QueryState } from '../../components/QueryState';
import { formatDuration, formatNumber } from '../../lib/format';
import { PresenceBadge, TierBadge } from '../../tickets/badges';
import { useAgents, useWatchTicketLists } from '../../tickets/queries';

/** Who is on the team, how available and how loaded: live on `presence:changed`. */
export function AgentsTable() {
  const { t } = useTranslation();
  const agents = useAgents();
  // Each agent's load changes with every assignment: the table follows ticket changes while shown.
  useWatchTicketLists();
  return (
    <Stack gap="sm" component="section" aria-labelledby="agents-heading">
      <Title order={2} id="agents-heading">
        {t('agents.heading')}
      </Title>
      <QueryState
        query={agents}
        loadingLabel={t('agents.loading')}
        loading={{ skeleton: 2, height: 20 }}
        errorTitle={t('agents.loadFailed')}
      >
        {(data) =>
          data.length === 0 ? (
            <Paper withBorder p="xl">
              <EmptyState title={t('agents.empty')} />
            </Paper>
          ) : (
            <Paper withBorder>
              <Table.ScrollContainer minWidth={820}>
                <Table verticalSpacing="xs" aria-labelledby="agents-heading">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('agents.columns.name')}</Table.Th>
                      <Table.Th>{t('agents.columns.tier')}</Table.Th>
                      <Table.Th>{t('agents.columns.skills')}</Table.Th>
                      <Table.Th>{t('agents.columns.availability')}</Table.Th>
                      <Table.Th ta="right">{t('agents.columns.load')}</Table.Th>
                      <Table.Th ta="right">{t('agents.columns.callTime')}</Table.Th>
                      <Table.Th ta="right" title={t('agents.callShareHint')}>
                        {t('agents.columns.callShare')}
                      </Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.map((agent) => (
                      <Table.Tr key={agent.id} data-agent-id={agent.id}>
                        <Table.Td>
                          <Text size="sm" fw={500}>
                            {agent.name}
                          </Text>
                          <Text size="xs" c="dimmed">
                            {agent.email}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <TierBadge tier={agent.tier} />
                        </Table.Td>
                        <Table.Td>
                          {agent.skills.length > 0 ? (
                            <Group gap={4}>
                              {agent.skills.map((skill) => (
                                <Badge key={skill} size="sm" variant="outline" color="gray" tt="none">
                                  {skill}
                                </Badge>
                              ))}
                            </Group>
                          ) : (
                            <Text size="sm" c="dimmed">
                              —
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td>
                          <PresenceBadge presence={agent.presence} />
                        </Table.Td>
                        <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                          {agent.openTickets}
                        </Table.Td>
                        <Table.Td
                          ta="right"
                          style={{ fontVariantNumeric: 'tabular-nums' }}
                          data-call-seconds={agent.callSeconds}
                        >
                          {agent.callCount > 0 ? (
                            <>
                              <Text size="sm">{formatDuration(agent.callSeconds, { style: 'short' })}</Text>
                              <Text size="xs" c="dimmed">
                                {t('agents.calls', { count: agent.callCount })}
                              </Text>
                            </>
                          ) : (
                            <Text size="sm" c="dimmed">
                              {t('agents.noCalls')}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td
                          ta="right"
                          style={{ fontVariantNumeric: 'tabular-nums' }}
                          data-call-share={agent.callShareOfResolution ?? ''}
                        >
                          {agent.callShareOfResolution === null ? (
                            <Text size="sm" c="dimmed" title={t('agents.noResolved')}>
                              —
                            </Text>
                          ) : (
                            formatNumber(agent.callShareOfResolution, {
                              style: 'percent',
                              maximumFractionDigits: 1,
                            })
                          )}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Paper>
          )
        }
      </QueryState>
    </Stack>
  );
}
