import { Button, Group, Kbd, Paper, Stack, Tabs, Text, Textarea } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { type FormEvent, type Ref, useImperativeHandle, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MacroActions, MacroView } from '../../../signaling/shared/macros';
import { describeError } from '../errors';
import type { Conversation } from '../lib/conversation';
import { toasts } from '../lib/toasts';
import { macrosApi } from '../macros/api';
import { MacroPicker } from '../macros/MacroPicker';
import { useSendKey } from '../settings/composerPreferences';
import { isSendKey } from '../settings/sendKey';
import { AttachmentPicker, useUploads } from './attachments';
import { ticketKeys } from './queries';

export type ComposerMode = 'public' | 'internal';

export interface ComposerHandle {
  /** Switches to the mode and puts the cursor in the text box (the `r` and `n` shortcuts). */
  focus(mode: ComposerMode): void;
}

/**
 * Writes on the ticket. Staff choose Reply (the customer sees it) or Internal note (only the team);
 * the box turns yellow for notes so nobody sends a note to a customer by mistake.
 * Enter sends and Shift+Enter makes a new line, or Ctrl/⌘+Enter sends when the person chose so in
 * their settings; nothing is sent while an input method is composing. Staff insert macros with
 * Ctrl/⌘+/ or "/" at the start of a line.
 */
export function Composer({
  conversation,
  staff,
  ticketId,
  disabledReason,
  notesOnlyReason,
  ref,
}: {
  conversation: Conversation;
  staff: boolean;
  /** The ticket macros are inserted for (staff only). */
  ticketId?: string;
  /** When set, the composer is replaced by this explanation (closed ticket, outside your tier). */
  disabledReason?: string | null;
  /**
   * When set, staff may only add internal notes (they follow a ticket they escalated); this says
   * why, above a note-only composer.
   */
  notesOnlyReason?: string | null;
  ref?: Ref<ComposerHandle>;
}) {
  const { t } = useTranslation();
  const [chosenMode, setMode] = useState<ComposerMode>('public');
  const mode: ComposerMode = notesOnlyReason ? 'internal' : chosenMode;
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const uploads = useUploads();
  const sendKey = useSendKey();
  const queryClient = useQueryClient();
  const [picker, setPicker] = useState(false);
  const [applying, setApplying] = useState(false);
  const macrosOn = staff && ticketId !== undefined;

  const insertMacro = async (macro: MacroView) => {
    if (!ticketId) return;
    setApplying(true);
    try {
      const result = await macrosApi.apply(macro.id, ticketId);
      const input = textarea.current;
      const start = input?.selectionStart ?? body.length;
      const end = input?.selectionEnd ?? body.length;
      const next = body.slice(0, start) + result.body + body.slice(end);
      setBody(next);
      setError(null);
      setPicker(false);
      const caret = start + result.body.length;
      requestAnimationFrame(() => {
        textarea.current?.focus();
        textarea.current?.setSelectionRange(caret, caret);
      });
      const changes = describeActions(result.applied, t);
      if (changes) {
        toasts.show({
          title: t('macros.appliedTitle', { title: macro.title }),
          message: changes,
          color: 'teal',
        });
        void queryClient.invalidateQueries({ queryKey: ticketKeys.detail(ticketId) });
        void queryClient.invalidateQueries({ queryKey: ticketKeys.timeline(ticketId) });
      }
    } catch (err) {
      toasts.show({ title: t('macros.applyFailed'), message: describeError(err, t), color: 'red' });
    } finally {
      setApplying(false);
    }
  };

  useImperativeHandle(ref, () => ({
    focus(next) {
      setMode(next);
      // After the mode's re-render, so the label read out matches.
      requestAnimationFrame(() => textarea.current?.focus());
    },
  }));

  if (disabledReason) {
    return (
      <Paper withBorder p="md" bg="gray.0">
        <Text size="sm" c="dimmed">
          {disabledReason}
        </Text>
      </Paper>
    );
  }

  const internal = staff && mode === 'internal';
  const label = staff
    ? internal
      ? t('composer.noteLabel')
      : t('composer.replyLabel')
    : t('composer.customerLabel');

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    const text = body.trim();
    if (!text) {
      setError(t('composer.empty'));
      textarea.current?.focus();
      return;
    }
    if (uploads.uploading) {
      setError(t('composer.waitForUploads'));
      return;
    }
    conversation.send({ body: text, internal, attachments: uploads.attachments });
    setBody('');
    setError(null);
    uploads.clear();
    textarea.current?.focus();
  };

  const form = (
    <form onSubmit={submit} aria-label={label}>
      <Stack gap="xs">
        <Textarea
          ref={textarea}
          aria-label={label}
          placeholder={
            staff
              ? internal
                ? t('composer.notePlaceholder')
                : t('composer.replyPlaceholder')
              : t('composer.customerPlaceholder')
          }
          autosize
          minRows={3}
          maxRows={12}
          value={body}
          error={error}
          styles={
            internal
              ? {
                  input: {
                    background: 'var(--mantine-color-yellow-0)',
                    borderColor: 'var(--mantine-color-yellow-6)',
                  },
                }
              : undefined
          }
          onChange={(event) => {
            setBody(event.currentTarget.value);
            if (error) setError(null);
            if (event.currentTarget.value.trim()) conversation.typing(internal);
          }}
          onBlur={() => conversation.stopTyping()}
          onKeyDown={(event) => {
            if (isSendKey(event, sendKey)) {
              event.preventDefault();
              submit();
              return;
            }
            if (!macrosOn || event.nativeEvent.isComposing) return;
            const atLineStart = (() => {
              const at = event.currentTarget.selectionStart;
              return at === event.currentTarget.selectionEnd && (at === 0 || body[at - 1] === '\n');
            })();
            if (
              (event.key === '/' && (event.ctrlKey || event.metaKey)) ||
              (event.key === '/' && atLineStart && !event.altKey)
            ) {
              event.preventDefault();
              setPicker(true);
            }
          }}
        />
        <AttachmentPicker uploads={uploads} />
        <Group justify="space-between" gap="xs">
          <Text size="xs" c="dimmed" data-testid="composer-keys">
            {sendKey === 'enter' ? (
              <>
                <Kbd size="xs">Enter</Kbd> {t('composer.toSend')} · <Kbd size="xs">Shift</Kbd> +{' '}
                <Kbd size="xs">Enter</Kbd> {t('composer.newLine')}
              </>
            ) : (
              <>
                <Kbd size="xs">Ctrl</Kbd> + <Kbd size="xs">Enter</Kbd> {t('composer.toSend')}
              </>
            )}
            {macrosOn && (
              <>
                {' · '}
                <Kbd size="xs">/</Kbd> {t('composer.macroHint')}
              </>
            )}
          </Text>
          {macrosOn && (
            <Button variant="subtle" size="xs" onClick={() => setPicker(true)} aria-keyshortcuts="Control+/">
              {t('macros.insert')}
            </Button>
          )}
          <Button type="submit" color={internal ? 'yellow' : undefined} c={internal ? 'dark' : undefined}>
            {staff ? (internal ? t('composer.addNote') : t('composer.sendReply')) : t('composer.send')}
          </Button>
        </Group>
      </Stack>
      {macrosOn && (
        <MacroPicker
          opened={picker}
          busy={applying}
          onClose={() => {
            setPicker(false);
            requestAnimationFrame(() => textarea.current?.focus());
          }}
          onPick={(macro) => void insertMacro(macro)}
        />
      )}
    </form>
  );

  if (!staff) return form;
  if (notesOnlyReason) {
    return (
      <Paper withBorder p="sm" style={{ borderColor: 'var(--mantine-color-yellow-5)' }}>
        <Text size="sm" mb={4} data-testid="notes-only-reason">
          {notesOnlyReason}
        </Text>
        <Text size="xs" c="yellow.9" mb={6}>
          {t('composer.noteHint')}
        </Text>
        {form}
      </Paper>
    );
  }
  return (
    <Paper withBorder p="sm" style={internal ? { borderColor: 'var(--mantine-color-yellow-5)' } : undefined}>
      <Tabs
        value={mode}
        onChange={(value) => {
          if (value === 'public' || value === 'internal') {
            if (value !== mode) conversation.stopTyping();
            setMode(value);
          }
        }}
        color={internal ? 'yellow' : 'indigo'}
      >
        <Tabs.List mb="xs" aria-label={t('composer.modeLabel')}>
          <Tabs.Tab value="public" aria-keyshortcuts="r">
            {t('composer.replyTab')}
          </Tabs.Tab>
          <Tabs.Tab value="internal" aria-keyshortcuts="n">
            {t('composer.noteTab')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="public">{form}</Tabs.Panel>
        <Tabs.Panel value="internal">
          <Text size="xs" c="yellow.9" mb={6}>
            {t('composer.noteHint')}
          </Text>
          {form}
        </Tabs.Panel>
      </Tabs>
    </Paper>
  );
}

/** "Status → Pending · Priority → P2 · Tags + video" for the toast, or '' when nothing changed. */
function describeActions(applied: MacroActions, t: TFunction): string {
  const parts: string[] = [];
  if (applied.status)
    parts.push(
      `${t('ticket.fields.status')} → ${t(`ticket.status.${applied.status}` as 'ticket.status.new')}`,
    );
  if (applied.priority) parts.push(`${t('ticket.fields.priority')} → ${applied.priority}`);
  if (applied.addTags?.length) parts.push(`${t('ticket.fields.tags')} + ${applied.addTags.join(', ')}`);
  return parts.join(' · ');
}
