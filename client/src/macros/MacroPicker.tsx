import {
  Badge,
  Group,
  Loader,
  Modal,
  ScrollArea,
  Stack,
  Text,
  TextInput,
  UnstyledButton,
} from '@mantine/core';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MacroView } from '../../../signaling/shared/macros';
import { describeError } from '../errors';
import { pickLocalized } from '../lib/localized';
import { useMacros } from './api';

/**
 * The searchable macro list the composer opens (Ctrl/⌘+/ or "/" at the start of a line): type to
 * search, ↑/↓ to move, Enter to insert, Esc to go back to the text. Focus stays in the search
 * box; the highlighted option is announced through aria-activedescendant.
 */
export function MacroPicker({
  opened,
  onClose,
  onPick,
  busy,
}: {
  opened: boolean;
  onClose: () => void;
  onPick: (macro: MacroView) => void;
  busy: boolean;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [active, setActive] = useState(0);
  const macros = useMacros(q, opened);
  const items = macros.data ?? [];
  const listId = useId();
  useEffect(() => {
    if (opened) {
      setQ('');
      setActive(0);
    }
  }, [opened]);
  const optionId = (i: number) => `${listId}-option-${i}`;

  return (
    <Modal opened={opened} onClose={onClose} title={t('macros.picker.title')} size="lg" trapFocus returnFocus>
      <Stack gap="sm">
        <TextInput
          data-autofocus
          aria-label={t('macros.picker.search')}
          placeholder={t('macros.picker.search')}
          value={q}
          role="combobox"
          aria-expanded
          aria-controls={listId}
          aria-activedescendant={items[active] ? optionId(active) : undefined}
          rightSection={macros.isFetching || busy ? <Loader size="xs" /> : null}
          onChange={(event) => {
            setQ(event.currentTarget.value);
            setActive(0);
          }}
          onKeyDown={(event) => {
            if (event.nativeEvent.isComposing) return;
            if (event.key === 'ArrowDown') {
              event.preventDefault();
              setActive((i) => Math.min(i + 1, items.length - 1));
            } else if (event.key === 'ArrowUp') {
              event.preventDefault();
              setActive((i) => Math.max(i - 1, 0));
            } else if (event.key === 'Enter') {
              event.preventDefault();
              const macro = items[active];
              if (macro && !busy) onPick(macro);
            }
          }}
        />
        {macros.isError && (
          <Text c="red" size="sm" role="alert">
            {describeError(macros.error, t)}
          </Text>
        )}
        {macros.isSuccess && items.length === 0 && (
          <Text c="dimmed" size="sm">
            {q.trim() ? t('macros.picker.noMatch') : t('macros.picker.none')}
          </Text>
        )}
        <ScrollArea.Autosize mah={360}>
          <Stack gap={4} id={listId} role="listbox" aria-label={t('macros.picker.title')}>
            {items.map((macro, i) => (
              <UnstyledButton
                key={macro.id}
                id={optionId(i)}
                role="option"
                aria-selected={i === active}
                tabIndex={-1}
                p="xs"
                style={{
                  borderRadius: 'var(--mantine-radius-sm)',
                  background: i === active ? 'var(--mantine-color-indigo-0)' : undefined,
                  outline: i === active ? '1px solid var(--mantine-color-indigo-3)' : undefined,
                }}
                onMouseEnter={() => setActive(i)}
                onClick={() => !busy && onPick(macro)}
              >
                <Group justify="space-between" wrap="nowrap" gap="xs">
                  <Text fw={600} size="sm" style={{ overflowWrap: 'anywhere' }}>
                    {macro.title}
                  </Text>
                  <Badge
                    variant="light"
                    color={macro.scope === 'shared' ? 'indigo' : 'gray'}
                    style={{ flexShrink: 0 }}
                  >
                    {t(`macros.scope.${macro.scope}`)}
                  </Badge>
                </Group>
                <Text size="xs" c="dimmed" lineClamp={2}>
                  {pickLocalized(macro.bodies)}
                </Text>
              </UnstyledButton>
            ))}
          </Stack>
        </ScrollArea.Autosize>
        <Text size="xs" c="dimmed">
          {t('macros.picker.keys')}
        </Text>
      </Stack>
    </Modal>
  );
}
