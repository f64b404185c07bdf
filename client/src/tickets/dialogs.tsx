import {
  Alert,
  Button,
  Group,
  Kbd,
  Modal,
  NativeSelect,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type PublicUser, TIERS, type TicketView, type Tier } from '../../../signaling/shared/protocol';
import { describeError } from '../errors';
import { ticketsApi } from '../lib/tickets';
import { useTicketAction } from './actions';
import { canHoldTier, useAgents } from './queries';

const TIER_RANK: Record<Tier, number> = { L1: 1, L2: 2, L3: 3 };

function DialogActions({
  onCancel,
  submitLabel,
  loading,
}: {
  onCancel: () => void;
  submitLabel: string;
  loading: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Group justify="flex-end" mt="xs">
      <Button variant="default" onClick={onCancel}>
        {t('common.cancel')}
      </Button>
      <Button type="submit" loading={loading}>
        {submitLabel}
      </Button>
    </Group>
  );
}

/** Escalation moves the ticket up a tier; the note tells the next tier what was tried. */
export function EscalateDialog({
  ticket,
  opened,
  onClose,
}: {
  ticket: TicketView;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  // The form lives inside the modal, which unmounts it on close: every opening starts afresh.
  return (
    <Modal opened={opened} onClose={onClose} title={t('escalate.title', { number: ticket.number })} centered>
      <EscalateForm ticket={ticket} onClose={onClose} />
    </Modal>
  );
}

function EscalateForm({ ticket, onClose }: { ticket: TicketView; onClose: () => void }) {
  const { t } = useTranslation();
  const higher = TIERS.filter((tier) => TIER_RANK[tier] > TIER_RANK[ticket.tier]);
  const [tier, setTier] = useState<Tier | undefined>(higher[0]);
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string | null>(null);
  const escalate = useTicketAction(
    (v: { tier: Tier; note: string }) => ticketsApi.escalate(ticket.id, v.tier, v.note),
    {
      inlineErrors: true,
      success: (updated) => t('escalate.done', { number: updated.number, tier: updated.tier }),
    },
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!note.trim()) {
      setNoteError(t('escalate.noteRequired'));
      return;
    }
    if (!tier) return;
    escalate.mutate({ tier, note: note.trim() }, { onSuccess: onClose });
  };

  return higher.length === 0 ? (
    <Text>{t('escalate.topTier')}</Text>
  ) : (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text size="sm" c="dimmed">
          {t('escalate.intro')} {t('escalate.followHint')}
        </Text>
        <NativeSelect
          label={t('escalate.tier')}
          value={tier}
          onChange={(event) => setTier(event.currentTarget.value as Tier)}
          data={higher.map((value) => ({ value, label: t('ticket.tierLabel', { tier: value }) }))}
        />
        <Textarea
          label={t('escalate.note')}
          description={t('escalate.noteHint')}
          required
          autosize
          minRows={4}
          value={note}
          error={noteError}
          data-autofocus
          onChange={(event) => {
            setNote(event.currentTarget.value);
            if (noteError) setNoteError(null);
          }}
        />
        {escalate.isError && (
          <Alert color="red" variant="light">
            {describeError(escalate.error, t)}
          </Alert>
        )}
        <DialogActions onCancel={onClose} submitLabel={t('escalate.submit')} loading={escalate.isPending} />
      </Stack>
    </form>
  );
}

/** Assign to someone (or nobody). Taking a ticket someone else holds needs a hand-over note. */
export function AssignDialog({
  ticket,
  me,
  opened,
  onClose,
}: {
  ticket: TicketView;
  me: PublicUser;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('assign.title', { number: ticket.number })} centered>
      <AssignForm ticket={ticket} me={me} onClose={onClose} />
    </Modal>
  );
}

function AssignForm({ ticket, me, onClose }: { ticket: TicketView; me: PublicUser; onClose: () => void }) {
  const { t } = useTranslation();
  const agents = useAgents();
  const [assigneeId, setAssigneeId] = useState(ticket.assignee?.id ?? '');
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string | null>(null);
  const assign = useTicketAction(
    (v: { assigneeId: string | null; note?: string }) => ticketsApi.assign(ticket.id, v.assigneeId, v.note),
    { inlineErrors: true, success: (updated) => t('assign.done', { number: updated.number }) },
  );

  const privileged = me.role === 'supervisor' || me.role === 'admin';
  const isTransfer = ticket.assignee !== null && ticket.assignee.id !== me.id && assigneeId !== '';
  const noteRequired = isTransfer && !privileged && assigneeId !== ticket.assignee?.id;
  const eligible = (agents.data ?? []).filter((a) => canHoldTier(a, ticket.tier));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (noteRequired && !note.trim()) {
      setNoteError(t('assign.noteRequired'));
      return;
    }
    assign.mutate(
      { assigneeId: assigneeId || null, ...(note.trim() ? { note: note.trim() } : {}) },
      { onSuccess: onClose },
    );
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {agents.isError && (
          <Alert color="red" variant="light">
            {describeError(agents.error, t)}
          </Alert>
        )}
        <NativeSelect
          label={t('assign.assignee')}
          value={assigneeId}
          disabled={agents.isPending}
          onChange={(event) => setAssigneeId(event.currentTarget.value)}
          data={[
            { value: '', label: t('assign.nobody') },
            ...eligible.map((agent) => ({
              value: agent.id,
              label: t('assign.agentOption', {
                name: agent.id === me.id ? t('assign.me', { name: agent.name }) : agent.name,
                tier: agent.tier,
                availability: t(`availability.${agent.availability}`),
                count: agent.openTickets,
              }),
            })),
          ]}
        />
        <Textarea
          label={t('assign.note')}
          description={noteRequired ? t('assign.noteRequiredHint') : t('assign.noteHint')}
          required={noteRequired}
          autosize
          minRows={3}
          value={note}
          error={noteError}
          onChange={(event) => {
            setNote(event.currentTarget.value);
            if (noteError) setNoteError(null);
          }}
        />
        {assign.isError && (
          <Alert color="red" variant="light">
            {describeError(assign.error, t)}
          </Alert>
        )}
        <DialogActions onCancel={onClose} submitLabel={t('assign.submit')} loading={assign.isPending} />
      </Stack>
    </form>
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Turns what the agent typed (an id, or a number like 42 / #42) into a ticket id. */
async function resolveTicketRef(input: string): Promise<string | null> {
  const text = input.trim();
  if (UUID.test(text)) return text.toLowerCase();
  const number = Number(text.replace(/^#/, ''));
  if (!Number.isInteger(number) || number <= 0) return null;
  // No lookup by number on the server: search the open tickets (the usual merge/link targets).
  const tickets = await ticketsApi.list({ view: 'all', limit: 200 });
  return tickets.find((ticket) => ticket.number === number)?.id ?? null;
}

/** Merge into, or link to, another ticket named by its id (or number). */
export function TicketRefDialog({
  ticket,
  kind,
  opened,
  onClose,
}: {
  ticket: TicketView;
  kind: 'merge' | 'link';
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t(`${kind}.title`, { number: ticket.number })} centered>
      <TicketRefForm ticket={ticket} kind={kind} onClose={onClose} />
    </Modal>
  );
}

function TicketRefForm({
  ticket,
  kind,
  onClose,
}: {
  ticket: TicketView;
  kind: 'merge' | 'link';
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [ref, setRef] = useState('');
  const [refError, setRefError] = useState<string | null>(null);
  const action = useTicketAction(
    (otherId: string) =>
      kind === 'merge' ? ticketsApi.merge(ticket.id, otherId) : ticketsApi.link(ticket.id, otherId),
    {
      inlineErrors: true,
      success: (updated) =>
        kind === 'merge'
          ? t('merge.done', { number: updated.number })
          : t('link.done', { number: updated.number }),
    },
  );
  const [resolving, setResolving] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!ref.trim()) {
      setRefError(t('ticketRef.required'));
      return;
    }
    setResolving(true);
    let otherId: string | null = null;
    try {
      otherId = await resolveTicketRef(ref);
    } catch (err) {
      setRefError(describeError(err, t));
      return;
    } finally {
      setResolving(false);
    }
    if (!otherId) {
      setRefError(t('ticketRef.notFound'));
      return;
    }
    if (otherId === ticket.id) {
      setRefError(t('ticketRef.self'));
      return;
    }
    action.mutate(otherId, { onSuccess: onClose });
  };

  const prefix = kind === 'merge' ? 'merge' : 'link';
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text size="sm" c="dimmed">
          {t(`${prefix}.intro`)}
        </Text>
        <TextInput
          label={t('ticketRef.label')}
          description={t('ticketRef.hint')}
          required
          value={ref}
          error={refError}
          data-autofocus
          spellCheck={false}
          autoComplete="off"
          onChange={(event) => {
            setRef(event.currentTarget.value);
            if (refError) setRefError(null);
          }}
        />
        {action.isError && (
          <Alert color="red" variant="light">
            {describeError(action.error, t)}
          </Alert>
        )}
        <DialogActions
          onCancel={onClose}
          submitLabel={t(`${prefix}.submit`)}
          loading={resolving || action.isPending}
        />
      </Stack>
    </form>
  );
}

export const SHORTCUTS = [
  { key: 'r', action: 'shortcuts.actions.reply' },
  { key: 'n', action: 'shortcuts.actions.note' },
  { key: 'e', action: 'shortcuts.actions.escalate' },
  { key: '?', action: 'shortcuts.actions.help' },
] as const;

export function ShortcutsHelp({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('shortcuts.title')} centered>
      <Stack gap="sm">
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('shortcuts.key')}</Table.Th>
              <Table.Th>{t('shortcuts.action')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {SHORTCUTS.map((shortcut) => (
              <Table.Tr key={shortcut.key}>
                <Table.Td>
                  <Kbd>{shortcut.key}</Kbd>
                </Table.Td>
                <Table.Td>{t(shortcut.action)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Text size="xs" c="dimmed">
          {t('shortcuts.footnote')}
        </Text>
      </Stack>
    </Modal>
  );
}
