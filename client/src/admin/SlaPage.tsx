import {
  Button,
  Checkbox,
  Group,
  NumberInput,
  Paper,
  Select,
  Stack,
  Switch,
  Table,
  TagsInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PRIORITIES } from '../../../signaling/shared/protocol';
import { QueryState } from '../components/QueryState';
import type { SlaClock, SlaPolicy } from './api';
import { ErrorNotice } from './ErrorNotice';
import { useAdminSettings, useUpdateSettings } from './queries';
import { SavedNote } from './SavedNote';

const CLOCKS: SlaClock[] = ['first_response', 'next_response', 'resolution'];
const WEEKDAYS = ['1', '2', '3', '4', '5', '6', '7'] as const;
const DEFAULT_SPAN = { start: '09:00', end: '18:00' };

export function SlaPage() {
  const { t } = useTranslation();
  useDocumentTitle(`${t('admin.sections.sla')} · ${t('app.name')}`);
  const settings = useAdminSettings();
  return (
    <Stack gap="md">
      <Title order={2} size="h3">
        {t('admin.sections.sla')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('admin.sla.intro')}
      </Text>
      <QueryState query={settings} loadingLabel={t('admin.loading')}>
        {(data) => <SlaForm policy={data.slaPolicy} />}
      </QueryState>
    </Stack>
  );
}

function zones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf?.('timeZone') ?? ['UTC'];
}

function SlaForm({ policy }: { policy: SlaPolicy }) {
  const { t } = useTranslation();
  const save = useUpdateSettings();
  const [draft, setDraft] = useState<SlaPolicy>(policy);
  const zoneList = useMemo(zones, []);
  const hours = draft.businessHours;
  const setTarget = (p: (typeof PRIORITIES)[number], clock: SlaClock, minutes: number) =>
    setDraft({
      ...draft,
      targets: { ...draft.targets, [p]: { ...draft.targets[p], [clock]: Math.round(minutes * 60) } },
    });
  const setHours = (next: NonNullable<SlaPolicy['businessHours']>) =>
    setDraft({ ...draft, businessHours: next });

  return (
    <Stack gap="lg">
      <Paper withBorder p="md">
        <Title order={3} size="h4" mb="xs">
          {t('admin.sla.targets')}
        </Title>
        <Table.ScrollContainer minWidth={520}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.sla.priority')}</Table.Th>
                {CLOCKS.map((c) => (
                  <Table.Th key={c}>{t(`admin.sla.clocks.${c}`)}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {PRIORITIES.map((p) => (
                <Table.Tr key={p}>
                  <Table.Td fw={600}>{p}</Table.Td>
                  {CLOCKS.map((c) => (
                    <Table.Td key={c}>
                      <NumberInput
                        aria-label={t('admin.sla.targetLabel', {
                          priority: p,
                          clock: t(`admin.sla.clocks.${c}`),
                        })}
                        value={draft.targets[p][c] / 60}
                        min={1}
                        step={5}
                        decimalScale={1}
                        suffix={` ${t('admin.sla.minutes')}`}
                        onChange={(v) => typeof v === 'number' && v > 0 && setTarget(p, c, v)}
                        size="xs"
                      />
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>

      <Paper withBorder p="md">
        <Stack gap="sm">
          <NumberInput
            label={t('admin.sla.warnAt')}
            description={t('admin.sla.warnAtHint')}
            value={Math.round(draft.warnAtFraction * 100)}
            min={1}
            max={99}
            suffix="%"
            onChange={(v) => typeof v === 'number' && setDraft({ ...draft, warnAtFraction: v / 100 })}
            w={220}
          />
          <Switch
            label={t('admin.sla.pausePending')}
            checked={draft.pauseWhilePending}
            onChange={(e) => setDraft({ ...draft, pauseWhilePending: e.currentTarget.checked })}
          />
          <Switch
            label={t('admin.sla.pauseOnHold')}
            checked={draft.pauseWhileOnHold}
            onChange={(e) => setDraft({ ...draft, pauseWhileOnHold: e.currentTarget.checked })}
          />
        </Stack>
      </Paper>

      <Paper withBorder p="md">
        <Stack gap="sm">
          <Switch
            label={t('admin.sla.businessHours')}
            description={t('admin.sla.businessHoursHint')}
            checked={hours !== null}
            onChange={(e) =>
              setDraft({
                ...draft,
                businessHours: e.currentTarget.checked
                  ? {
                      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
                      weekly: {
                        '1': [DEFAULT_SPAN],
                        '2': [DEFAULT_SPAN],
                        '3': [DEFAULT_SPAN],
                        '4': [DEFAULT_SPAN],
                        '5': [DEFAULT_SPAN],
                      },
                      holidays: [],
                    }
                  : null,
              })
            }
          />
          {hours && (
            <>
              <Select
                label={t('admin.sla.timeZone')}
                data={zoneList}
                searchable
                value={hours.timeZone}
                onChange={(v) => v && setHours({ ...hours, timeZone: v })}
                allowDeselect={false}
                maw={320}
              />
              <Stack gap={6}>
                {WEEKDAYS.map((day) => {
                  const span = hours.weekly[day]?.[0];
                  return (
                    <Group key={day} gap="sm" wrap="nowrap">
                      <Checkbox
                        label={t(`admin.sla.weekdays.${day}`)}
                        checked={!!span}
                        onChange={(e) => {
                          const weekly = { ...hours.weekly };
                          if (e.currentTarget.checked) weekly[day] = [DEFAULT_SPAN];
                          else delete weekly[day];
                          setHours({ ...hours, weekly });
                        }}
                        w={110}
                      />
                      {span && (
                        <>
                          <TextInput
                            type="time"
                            aria-label={t('admin.sla.opens', { day: t(`admin.sla.weekdays.${day}`) })}
                            value={span.start}
                            onChange={(e) =>
                              setHours({
                                ...hours,
                                weekly: {
                                  ...hours.weekly,
                                  [day]: [{ ...span, start: e.currentTarget.value }],
                                },
                              })
                            }
                            size="xs"
                            w={110}
                          />
                          <Text size="sm">–</Text>
                          <TextInput
                            type="time"
                            aria-label={t('admin.sla.closes', { day: t(`admin.sla.weekdays.${day}`) })}
                            value={span.end === '24:00' ? '23:59' : span.end}
                            onChange={(e) =>
                              setHours({
                                ...hours,
                                weekly: { ...hours.weekly, [day]: [{ ...span, end: e.currentTarget.value }] },
                              })
                            }
                            size="xs"
                            w={110}
                          />
                        </>
                      )}
                    </Group>
                  );
                })}
              </Stack>
              <TagsInput
                label={t('admin.sla.holidays')}
                description={t('admin.sla.holidaysHint')}
                placeholder="2027-01-01"
                value={hours.holidays ?? []}
                onChange={(v) => setHours({ ...hours, holidays: v })}
                clearable
              />
            </>
          )}
        </Stack>
      </Paper>

      <Text size="sm" c="dimmed">
        {t('admin.sla.appliesHow')}
      </Text>
      <ErrorNotice error={save.error} />
      <Group>
        <Button onClick={() => save.mutate({ slaPolicy: draft })} loading={save.isPending}>
          {t('admin.save')}
        </Button>
        <Button variant="default" onClick={() => setDraft(policy)}>
          {t('admin.revert')}
        </Button>
        <SavedNote mutation={save} />
      </Group>
    </Stack>
  );
}
