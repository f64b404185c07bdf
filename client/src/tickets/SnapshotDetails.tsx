import { Button, Collapse, DataList, Paper, Stack, Text, Title } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ChevronIcon } from '../components/icons';
import { formatDateTime, formatNumber } from '../lib/format';
import type { ProblemSnapshot } from '../lib/snapshot';

export type SnapshotFact =
  | 'browser'
  | 'os'
  | 'screen'
  | 'language'
  | 'timeZone'
  | 'network'
  | 'camera'
  | 'microphone'
  | 'capturedAt';

/**
 * The snapshot's facts as label/value pairs in the reader's language, missing ones "unknown";
 * shared by the snapshot card and the playbook steps that show some of them.
 */
export function snapshotFacts(
  snapshot: ProblemSnapshot,
  t: TFunction,
): Array<[fact: SnapshotFact, label: string, value: string]> {
  const unknown = t('snapshot.unknown');
  const yesNo = (value: boolean | undefined) =>
    value === undefined ? unknown : value ? t('snapshot.available') : t('snapshot.notFound');
  const { screen, network, devices } = snapshot;
  const networkParts = [
    network?.online === undefined ? null : network.online ? t('snapshot.online') : t('snapshot.offline'),
    network?.effectiveType
      ? t('snapshot.effectiveType', { type: network.effectiveType.toUpperCase() })
      : null,
    network?.downlinkMbps !== undefined
      ? t('snapshot.downlink', { value: formatNumber(network.downlinkMbps, { maximumFractionDigits: 1 }) })
      : null,
    network?.rttMs !== undefined ? t('snapshot.rtt', { value: formatNumber(network.rttMs) }) : null,
  ].filter((part): part is string => part !== null);

  return [
    [
      'browser',
      t('snapshot.browser'),
      snapshot.browser ? [snapshot.browser, snapshot.browserVersion].filter(Boolean).join(' ') : unknown,
    ],
    ['os', t('snapshot.os'), snapshot.os ?? unknown],
    [
      'screen',
      t('snapshot.screen'),
      screen
        ? screen.pixelRatio
          ? t('snapshot.screenWithRatio', {
              width: screen.width,
              height: screen.height,
              ratio: screen.pixelRatio,
            })
          : t('snapshot.screenSize', { width: screen.width, height: screen.height })
        : unknown,
    ],
    [
      'language',
      t('snapshot.language'),
      snapshot.languages?.length ? snapshot.languages.join(', ') : (snapshot.language ?? unknown),
    ],
    ['timeZone', t('snapshot.timeZone'), snapshot.timeZone ?? unknown],
    ['network', t('snapshot.network'), networkParts.length > 0 ? networkParts.join(' · ') : unknown],
    ['camera', t('snapshot.camera'), yesNo(devices?.camera)],
    ['microphone', t('snapshot.microphone'), yesNo(devices?.microphone)],
    [
      'capturedAt',
      t('snapshot.capturedAt'),
      snapshot.capturedAt ? formatDateTime(snapshot.capturedAt) : unknown,
    ],
  ];
}

/** The snapshot as label/value pairs, in the reader's language; missing facts say "unknown". */
export function SnapshotDetails({ snapshot }: { snapshot: ProblemSnapshot }) {
  const { t } = useTranslation();
  const rows = snapshotFacts(snapshot, t);
  return (
    <DataList orientation="horizontal" labelWidth={130} size="sm">
      {rows.map(([, label, value]) => (
        <DataList.Item key={label}>
          <DataList.ItemLabel>{label}</DataList.ItemLabel>
          <DataList.ItemValue style={{ overflowWrap: 'anywhere' }}>{value}</DataList.ItemValue>
        </DataList.Item>
      ))}
      {snapshot.userAgent && (
        <DataList.Item>
          <DataList.ItemLabel>{t('snapshot.userAgent')}</DataList.ItemLabel>
          <DataList.ItemValue>
            <Text size="xs" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
              {snapshot.userAgent}
            </Text>
          </DataList.ItemValue>
        </DataList.Item>
      )}
    </DataList>
  );
}

/** An expandable panel (disclosure button + region) around the snapshot details. */
export function SnapshotDisclosure({
  title,
  intro,
  snapshot,
  defaultOpen = false,
}: {
  title: string;
  intro?: string;
  snapshot: ProblemSnapshot | null;
  defaultOpen?: boolean;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(defaultOpen);
  const regionId = useId();
  return (
    <Paper withBorder p="md">
      <Stack gap="xs">
        <Button
          variant="subtle"
          justify="space-between"
          fullWidth
          px={0}
          h="auto"
          mih={36}
          styles={{ label: { whiteSpace: 'normal', textAlign: 'start' } }}
          aria-expanded={open}
          aria-controls={regionId}
          onClick={() => setOpen((o) => !o)}
          rightSection={<ChevronIcon open={open} />}
        >
          {title}
        </Button>
        <Collapse expanded={open} id={regionId} role="region" aria-label={title}>
          <Stack gap="sm" pt="xs">
            {intro && (
              <Text size="sm" c="dimmed">
                {intro}
              </Text>
            )}
            {snapshot ? (
              <SnapshotDetails snapshot={snapshot} />
            ) : (
              <Text size="sm" c="dimmed">
                {t('snapshot.none')}
              </Text>
            )}
          </Stack>
        </Collapse>
      </Stack>
    </Paper>
  );
}

/** The snapshot as a titled card (staff side panel). */
export function SnapshotCard({ snapshot }: { snapshot: ProblemSnapshot | null }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="snapshot-heading">
      <Title order={3} fz="md" id="snapshot-heading" mb="xs">
        {t('snapshot.heading')}
      </Title>
      {snapshot ? (
        <SnapshotDetails snapshot={snapshot} />
      ) : (
        <Text size="sm" c="dimmed">
          {t('snapshot.none')}
        </Text>
      )}
    </Paper>
  );
}
