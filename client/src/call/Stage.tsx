import { Avatar, Badge, Box, Button, Center, Group, Loader, Stack, Text } from '@mantine/core';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { MicOffIcon } from './icons';
import type { StageLayout, Tile } from './layout';
import { VideoView } from './media';

export function initials(name: string): string {
  return (
    name
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((w) => w[0]?.toUpperCase())
      .join('') || '?'
  );
}

function tileLabel(tile: Tile, t: TFunction): string {
  if (tile.local) return tile.source === 'screen' ? t('call.yourScreen') : t('call.yourCamera');
  return tile.source === 'screen'
    ? t('call.screenOf', { name: tile.name })
    : t('call.cameraOf', { name: tile.name });
}

/** One picture: the video, or the person's initials when there is none, with a name tag. */
function TileView({ tile, main, quiet = false }: { tile: Tile; main: boolean; quiet?: boolean }) {
  const { t } = useTranslation();
  const label = tileLabel(tile, t);
  const name = tile.local ? t('call.you') : tile.name;
  return (
    <Box
      pos="relative"
      h="100%"
      w="100%"
      data-tile={tile.key}
      data-main-tile={main ? 'true' : undefined}
      style={{ background: '#202124', borderRadius: main ? 0 : 8, overflow: 'hidden' }}
    >
      {tile.track ? (
        <VideoView
          track={tile.track}
          source={tile.source}
          remote={!tile.local}
          main={main}
          mirrored={tile.local && tile.source === 'camera'}
          fit={main ? 'contain' : 'cover'}
          label={label}
        />
      ) : (
        <Center h="100%">
          <Stack align="center" gap={6}>
            <Avatar color="indigo" variant="filled" radius="xl" size={main ? 96 : 40}>
              {initials(tile.name)}
            </Avatar>
            {main && !quiet && (
              <Text c="gray.3" size="sm">
                {tile.present ? t('call.cameraIsOff') : t('call.notInCallYet', { name: tile.name })}
              </Text>
            )}
          </Stack>
        </Center>
      )}
      {!quiet && (
        <Group
          gap={4}
          pos="absolute"
          bottom={main ? 12 : 6}
          left={main ? 12 : 6}
          px={6}
          py={2}
          wrap="nowrap"
          style={{ background: 'rgba(0,0,0,0.55)', borderRadius: 4, color: 'white', maxWidth: '90%' }}
        >
          {tile.micOff && tile.source === 'camera' && (
            <Box
              c="red.4"
              style={{ display: 'flex' }}
              title={t('call.muted')}
              role="img"
              aria-label={t('call.muted')}
            >
              <MicOffIcon size={14} />
            </Box>
          )}
          <Text size="xs" c="white" truncate>
            {tile.source === 'screen' ? label : name}
          </Text>
        </Group>
      )}
    </Box>
  );
}

/** The main picture with the small ones in a strip, and whatever overlay the call state needs. */
export function Stage({
  layout,
  overlay,
  banner,
}: {
  layout: StageLayout;
  /** Covers the main picture (ringing, reconnecting). */
  overlay?: ReactNode;
  /** Shown above the picture (e.g. "You are sharing your screen"). */
  banner?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Box
      pos="relative"
      style={{ flex: 1, minHeight: 0, background: '#202124', display: 'flex', flexDirection: 'column' }}
    >
      {banner}
      <Box pos="relative" style={{ flex: 1, minHeight: 0 }} aria-label={t('call.stage')} component="section">
        {layout.main ? (
          <TileView tile={layout.main} main quiet={Boolean(overlay)} />
        ) : (
          <Center h="100%">
            <Text c="gray.4">{t('call.nobodyElse')}</Text>
          </Center>
        )}
        {overlay && (
          // A plain dim, no backdrop blur: the overlay covers a playing video while the call is set
          // up, and a blur has to be redrawn under it every frame. Where the browser composites in
          // software (no GPU: virtual desktops, older machines, headless) that doubled the
          // compositor's CPU while a call was being set up (bench:join: 40–48 % → 19–20 % of a core).
          <Center pos="absolute" inset={0} style={{ background: 'rgba(20,21,23,0.8)' }}>
            {overlay}
          </Center>
        )}
        <Stack
          pos="absolute"
          right={12}
          bottom={12}
          gap={8}
          component="ul"
          aria-label={t('call.thumbnails')}
          style={{ listStyle: 'none', margin: 0, padding: 0 }}
        >
          {layout.thumbs.map((tile) => (
            <Box
              component="li"
              key={tile.key}
              w={{ base: 120, sm: 200 }}
              style={{
                aspectRatio: '16 / 9',
                boxShadow: '0 2px 10px rgba(0,0,0,0.5)',
                borderRadius: 8,
                border: '1px solid rgba(255,255,255,0.15)',
              }}
            >
              <TileView tile={tile} main={false} />
            </Box>
          ))}
        </Stack>
      </Box>
    </Box>
  );
}

/**
 * "Ringing Casey…", "Waiting for Lee…", "Reconnecting…": an indicator, a line and maybe a button.
 * A step that ends by itself within seconds (joining, reconnecting) shows moving dots; a wait for
 * the other person, which can last minutes, shows a still `icon`. Motion that goes on that long
 * beside other content is what WCAG 2.2.2 asks to avoid, and on a computer without graphics
 * acceleration each of its frames is drawn by the CPU the call itself needs.
 */
export function StageMessage({
  text,
  detail,
  action,
  icon,
}: {
  text: string;
  detail?: string;
  action?: { label: string; onClick: () => void; color?: string };
  icon?: ReactNode;
}) {
  return (
    <Stack align="center" gap="sm" role="status" aria-live="polite">
      {icon ? (
        <Box c="gray.3" aria-hidden="true" style={{ lineHeight: 0 }}>
          {icon}
        </Box>
      ) : (
        <Loader color="gray.3" type="dots" aria-hidden="true" />
      )}
      <Text c="white" fw={600} size="lg" ta="center">
        {text}
      </Text>
      {detail && (
        <Text c="gray.4" size="sm" ta="center" maw={420}>
          {detail}
        </Text>
      )}
      {action && (
        <Button color={action.color ?? 'gray'} variant="white" onClick={action.onClick}>
          {action.label}
        </Button>
      )}
    </Stack>
  );
}

export function SharingBanner({ onStop }: { onStop: () => void }) {
  const { t } = useTranslation();
  return (
    <Group justify="center" gap="sm" py={6} bg="indigo.8" c="white">
      <Badge color="red" variant="filled" size="sm">
        {t('call.live')}
      </Badge>
      <Text size="sm" c="white">
        {t('call.sharingBanner')}
      </Text>
      <Button size="compact-sm" variant="white" color="dark" onClick={onStop}>
        {t('call.controls.stopShare')}
      </Button>
    </Group>
  );
}
