import { Button, DataList, Group, NativeSelect, Paper, Stack, TagsInput, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  PRIORITIES,
  type Priority,
  type PublicUser,
  STATUSES,
  type TicketStatus,
  type TicketView,
} from '../../../signaling/shared/protocol';
import { formatDateTime } from '../lib/format';
import { CATEGORIES, type Category, type TicketPatch, ticketsApi } from '../lib/tickets';
import { useTicketAction } from './actions';
import { TierBadge } from './badges';

const TAG_PATTERN = /^[a-z0-9][a-z0-9_-]{0,39}$/;

/** Priority, status, category and tags (each saved on change), assignee and tier with their actions. */
export function PropertiesPanel({
  ticket,
  me,
  canWork,
  onAssign,
  onEscalate,
}: {
  ticket: TicketView;
  me: PublicUser;
  canWork: boolean;
  onAssign: () => void;
  onEscalate: () => void;
}) {
  const { t } = useTranslation();
  const update = useTicketAction((patch: TicketPatch) => ticketsApi.update(ticket.id, patch));
  const claim = useTicketAction(() => ticketsApi.claim(ticket.id), {
    success: (updated) => t('assign.claimed', { number: updated.number }),
  });
  const [tags, setTags] = useState(ticket.tags);
  const [tagError, setTagError] = useState<string | null>(null);
  useEffect(() => setTags(ticket.tags), [ticket.tags]);

  const closed = ticket.status === 'closed';
  const editable = canWork && !closed;
  const canClaim =
    editable &&
    ticket.assignee?.id !== me.id &&
    (me.role === 'agent' || me.role === 'supervisor' || me.role === 'admin');

  const saveTags = (next: string[]) => {
    const normalized = [...new Set(next.map((tag) => tag.trim().toLowerCase()).filter(Boolean))];
    const bad = normalized.find((tag) => !TAG_PATTERN.test(tag));
    if (bad) {
      setTagError(t('properties.tagInvalid', { tag: bad }));
      return;
    }
    setTagError(null);
    setTags(normalized);
    if (normalized.join(',') !== ticket.tags.join(',')) {
      update.mutate({ tags: normalized }, { onError: () => setTags(ticket.tags) });
    }
  };

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="properties-heading">
      <Title order={3} fz="md" id="properties-heading" mb="sm">
        {t('properties.heading')}
      </Title>
      <Stack gap="sm">
        <Group grow gap="xs" align="flex-start">
          <NativeSelect
            label={t('ticket.fields.priority')}
            size="xs"
            value={ticket.priority}
            disabled={!editable || update.isPending}
            onChange={(event) => update.mutate({ priority: event.currentTarget.value as Priority })}
            data={PRIORITIES.map((p) => ({ value: p, label: `${p} · ${t(`ticket.priorityName.${p}`)}` }))}
          />
          <NativeSelect
            label={t('ticket.fields.status')}
            size="xs"
            value={ticket.status}
            disabled={!editable || update.isPending}
            onChange={(event) => update.mutate({ status: event.currentTarget.value as TicketStatus })}
            data={STATUSES.map((s) => ({ value: s, label: t(`ticket.status.${s}`) }))}
          />
        </Group>
        <NativeSelect
          label={t('ticket.fields.category')}
          size="xs"
          value={ticket.category}
          disabled={!editable || update.isPending}
          onChange={(event) => update.mutate({ category: event.currentTarget.value as Category })}
          data={CATEGORIES.map((c) => ({ value: c, label: t(`ticket.category.${c}`) }))}
        />
        <TagsInput
          label={t('ticket.fields.tags')}
          size="xs"
          value={tags}
          disabled={!editable}
          error={tagError}
          placeholder={editable ? t('properties.tagsPlaceholder') : undefined}
          onChange={saveTags}
          clearable={false}
          maxTags={20}
        />
        <DataList orientation="horizontal" labelWidth={110} size="sm">
          {ticket.customerUrgency && (
            <DataList.Item>
              <DataList.ItemLabel>{t('ticket.fields.customerUrgency')}</DataList.ItemLabel>
              <DataList.ItemValue data-testid="customer-urgency">
                {t(`urgency.${ticket.customerUrgency}`)}
              </DataList.ItemValue>
            </DataList.Item>
          )}
          <DataList.Item>
            <DataList.ItemLabel>{t('ticket.fields.assignee')}</DataList.ItemLabel>
            <DataList.ItemValue>
              <Stack gap={4} align="flex-start">
                <Text size="sm" data-testid="assignee">
                  {ticket.assignee
                    ? ticket.assignee.id === me.id
                      ? t('assign.me', { name: ticket.assignee.name })
                      : ticket.assignee.name
                    : t('ticket.unassigned')}
                </Text>
                {editable && (
                  <Group gap={6}>
                    {canClaim && (
                      <Button
                        size="compact-xs"
                        onClick={() => claim.mutate(undefined)}
                        loading={claim.isPending}
                      >
                        {t('assign.claim')}
                      </Button>
                    )}
                    <Button size="compact-xs" variant="default" onClick={onAssign}>
                      {t('assign.open')}
                    </Button>
                  </Group>
                )}
              </Stack>
            </DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>{t('ticket.fields.tier')}</DataList.ItemLabel>
            <DataList.ItemValue>
              <Group gap={6}>
                <TierBadge tier={ticket.tier} />
                {editable && ticket.tier !== 'L3' && ticket.status !== 'solved' && (
                  <Button
                    size="compact-xs"
                    variant="default"
                    color="violet"
                    onClick={onEscalate}
                    aria-keyshortcuts="e"
                  >
                    {t('escalate.open')}
                  </Button>
                )}
              </Group>
            </DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>{t('ticket.fields.requester')}</DataList.ItemLabel>
            <DataList.ItemValue>{ticket.requester.name}</DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>{t('ticket.fields.channel')}</DataList.ItemLabel>
            <DataList.ItemValue>{t(`ticket.channel.${ticket.channel}`)}</DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>{t('ticket.fields.created')}</DataList.ItemLabel>
            <DataList.ItemValue>
              <time dateTime={ticket.createdAt}>{formatDateTime(ticket.createdAt)}</time>
            </DataList.ItemValue>
          </DataList.Item>
        </DataList>
      </Stack>
    </Paper>
  );
}
