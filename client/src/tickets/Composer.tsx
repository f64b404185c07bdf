import { Button, Group, Kbd, Paper, Stack, Tabs, Text, Textarea } from '@mantine/core';
import { type FormEvent, type Ref, useImperativeHandle, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Conversation } from '../lib/conversation';
import { AttachmentPicker, useUploads } from './attachments';

export type ComposerMode = 'public' | 'internal';

export interface ComposerHandle {
  /** Switches to the mode and puts the cursor in the text box (the `r` and `n` shortcuts). */
  focus(mode: ComposerMode): void;
}

/**
 * Writes on the ticket. Staff choose Reply (the customer sees it) or Internal note (only the team);
 * the box turns yellow for notes so nobody sends a note to a customer by mistake.
 * Ctrl/⌘+Enter sends.
 */
export function Composer({
  conversation,
  staff,
  disabledReason,
  notesOnlyReason,
  ref,
}: {
  conversation: Conversation;
  staff: boolean;
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
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) submit();
          }}
        />
        <AttachmentPicker uploads={uploads} />
        <Group justify="space-between" gap="xs">
          <Text size="xs" c="dimmed">
            <Kbd size="xs">Ctrl</Kbd> + <Kbd size="xs">Enter</Kbd> {t('composer.toSend')}
          </Text>
          <Button type="submit" color={internal ? 'yellow' : undefined} c={internal ? 'dark' : undefined}>
            {staff ? (internal ? t('composer.addNote') : t('composer.sendReply')) : t('composer.send')}
          </Button>
        </Group>
      </Stack>
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
