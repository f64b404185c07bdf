import { Group, NativeSelect, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { AVAILABILITIES, type Availability, type PublicUser } from '../../../signaling/shared/protocol';
import { describeError } from '../errors';
import { session } from '../lib/session';
import { ticketsApi } from '../lib/tickets';
import { toasts } from '../lib/toasts';

const DOT: Record<Availability, string> = {
  available: 'var(--mantine-color-teal-6)',
  busy: 'var(--mantine-color-orange-6)',
  away: 'var(--mantine-color-gray-5)',
};

/** The agent's availability: "available" agents receive new tickets automatically. */
export function AvailabilitySwitch({ user }: { user: PublicUser }) {
  const { t } = useTranslation();
  const id = useId();
  const change = useMutation({
    mutationFn: (availability: Availability) => ticketsApi.setAvailability(availability),
    onSuccess: (availability) => {
      const me = session.current?.user;
      if (me) session.updateUser({ ...me, availability });
    },
    onError: (err) =>
      toasts.show({ title: t('availability.failed'), message: describeError(err, t), color: 'red' }),
  });
  const value = change.isPending && change.variables ? change.variables : user.availability;
  return (
    <Group gap={6} wrap="nowrap">
      <Text component="label" htmlFor={id} size="sm" c="dimmed" className="visually-hidden-xs">
        {t('availability.label')}
      </Text>
      <NativeSelect
        id={id}
        size="xs"
        flex="none"
        // On a phone only the coloured dot shows (the label still names the select for screen readers).
        w={{ base: 58, sm: 124 }}
        value={value}
        disabled={change.isPending}
        title={t('availability.hint')}
        leftSection={
          <span aria-hidden="true" style={{ width: 8, height: 8, borderRadius: 4, background: DOT[value] }} />
        }
        onChange={(event) => change.mutate(event.currentTarget.value as Availability)}
        data={AVAILABILITIES.map((a) => ({ value: a, label: t(`availability.${a}`) }))}
      />
    </Group>
  );
}
