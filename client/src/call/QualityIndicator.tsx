import { Badge, Stack, Text, Tooltip } from '@mantine/core';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallQuality } from '../lib/call/stats';
import { SignalIcon } from './icons';

const LOOK = {
  good: { color: 'teal', bars: 3 },
  fair: { color: 'yellow', bars: 2 },
  poor: { color: 'red', bars: 1 },
  unknown: { color: 'gray', bars: 0 },
} as const;

/**
 * Good / fair / poor, with round trip, loss and bitrate in the tooltip. Memoized: the engine keeps
 * the same `quality` object until a reading differs, and the call view renders more often.
 */
export const QualityIndicator = memo(function QualityIndicator({ quality }: { quality: CallQuality }) {
  const { t } = useTranslation();
  const look = LOOK[quality.level];
  const label = t(`call.quality.${quality.level}`);
  const details = [
    quality.rttMs !== undefined && t('call.quality.rtt', { value: quality.rttMs }),
    quality.packetLoss !== undefined &&
      t('call.quality.loss', { value: (quality.packetLoss * 100).toFixed(1) }),
    quality.inboundKbps !== undefined && t('call.quality.inbound', { value: quality.inboundKbps }),
    quality.outboundKbps !== undefined && t('call.quality.outbound', { value: quality.outboundKbps }),
    quality.frameWidth !== undefined &&
      quality.frameHeight !== undefined &&
      t('call.quality.resolution', { width: quality.frameWidth, height: quality.frameHeight }),
  ].filter((line): line is string => typeof line === 'string');
  return (
    <Tooltip
      withArrow
      multiline
      label={
        <Stack gap={2}>
          <Text size="xs" fw={600}>
            {label}
          </Text>
          {details.map((line) => (
            <Text size="xs" key={line}>
              {line}
            </Text>
          ))}
        </Stack>
      }
    >
      <Badge
        component="div"
        tabIndex={0}
        color={look.color}
        variant="light"
        size="lg"
        tt="none"
        leftSection={<SignalIcon bars={look.bars} size={14} />}
        aria-label={[label, ...details].join('. ')}
        data-quality={quality.level}
      >
        <span className="visually-hidden-xs">{label}</span>
      </Badge>
    </Tooltip>
  );
});
