import {
  Alert,
  Anchor,
  Button,
  Group,
  NativeSelect,
  Paper,
  Radio,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate } from 'react-router';
import { URGENCIES, type Urgency } from '../../../signaling/shared/macros';
import type { TicketView } from '../../../signaling/shared/protocol';
import { describeError, describeFieldIssue } from '../errors';
import { DeflectionSuggestions, newDeflectionSession, recordSubmitted } from '../help/DeflectionSuggestions';
import { isApiError } from '../lib/api';
import { useSession } from '../lib/session';
import { captureSnapshot, type ProblemSnapshot } from '../lib/snapshot';
import { CATEGORIES, type Category, type NewTicket, ticketsApi } from '../lib/tickets';
import { AttachmentPicker, useUploads } from '../tickets/attachments';
import { storeTicket, ticketKeys } from '../tickets/queries';
import { SnapshotDisclosure } from '../tickets/SnapshotDetails';

interface FieldErrors {
  subject?: string;
  description?: string;
  category?: string;
}

/**
 * `/tickets/new`: the customer describes the problem; the browser adds the problem snapshot. The
 * website widget opens its conversations on the `chat` channel.
 */
export function NewTicketPage({ channel = 'portal' }: { channel?: 'portal' | 'chat' }) {
  const { t } = useTranslation();
  useDocumentTitle(`${t('newTicket.pageTitle')} · ${t('app.name')}`);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const [category, setCategory] = useState<Category | ''>('');
  const [urgency, setUrgency] = useState<Urgency>('normal');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [preview, setPreview] = useState<ProblemSnapshot | null>(null);
  const [deflectionSession] = useState(newDeflectionSession);
  const uploads = useUploads();
  const subjectRef = useRef<HTMLInputElement>(null);
  const descriptionRef = useRef<HTMLTextAreaElement>(null);
  const categoryRef = useRef<HTMLSelectElement>(null);
  const { session } = useSession();

  useEffect(() => {
    subjectRef.current?.focus();
    let cancelled = false;
    void captureSnapshot().then((snapshot) => {
      if (!cancelled) setPreview(snapshot);
    });
    return () => {
      cancelled = true;
    };
  }, []);

  const create = useMutation<TicketView, Error, NewTicket>({
    mutationFn: (input) => ticketsApi.create(input),
    onSuccess: (ticket) => {
      recordSubmitted(deflectionSession);
      storeTicket(queryClient, ticket);
      void queryClient.invalidateQueries({ queryKey: ticketKeys.lists });
      void navigate(`/tickets/${ticket.id}`, { state: { created: true } });
    },
    onError: (err) => {
      // Field problems from the server go next to their fields.
      if (isApiError(err) && err.details) {
        const next: FieldErrors = {};
        for (const issue of err.details) {
          const field = issue.path.split('.')[0];
          if (field === 'subject' || field === 'description' || field === 'category')
            next[field] = describeFieldIssue(issue, t);
        }
        setErrors(next);
      }
    },
  });

  // The portal form is the customer's; staff open tickets on a customer's behalf through the API.
  if (session && session.user.role !== 'customer') return <Navigate to="/" replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (create.isPending) return;
    const next: FieldErrors = {};
    if (subject.trim().length < 3) next.subject = t('newTicket.validation.subject');
    if (!category) next.category = t('newTicket.validation.category');
    if (!description.trim()) next.description = t('newTicket.validation.description');
    setErrors(next);
    if (next.subject) return subjectRef.current?.focus();
    if (next.category) return categoryRef.current?.focus();
    if (next.description) return descriptionRef.current?.focus();
    if (uploads.uploading || !category) return;
    // Captured again at the moment of sending, so the time and network state are current.
    const snapshot = await captureSnapshot();
    setPreview(snapshot);
    create.mutate({
      subject: subject.trim(),
      description: description.trim(),
      category,
      channel,
      snapshot,
      attachmentIds: uploads.attachments.map((a) => a.id),
      urgency,
    });
  };

  return (
    <Stack gap="md" maw={720} mx="auto">
      <Anchor component={Link} to="/" size="sm">
        ← {t('customerTicket.back')}
      </Anchor>
      <div>
        <Title order={1}>{t('newTicket.heading')}</Title>
        <Text c="dimmed" mt={4}>
          {t('newTicket.intro')}
        </Text>
      </div>
      <Paper withBorder p="lg">
        <form onSubmit={submit} noValidate aria-busy={create.isPending}>
          <Stack gap="md">
            {create.isError && (
              <Alert color="red" variant="light" title={t('newTicket.failedTitle')}>
                {describeError(create.error, t)}
              </Alert>
            )}
            <TextInput
              ref={subjectRef}
              label={t('newTicket.subject')}
              description={t('newTicket.subjectHint')}
              required
              maxLength={200}
              value={subject}
              error={errors.subject}
              onChange={(event) => {
                setSubject(event.currentTarget.value);
                if (errors.subject) setErrors({ ...errors, subject: undefined });
              }}
            />
            <NativeSelect
              ref={categoryRef}
              label={t('newTicket.category')}
              required
              value={category}
              error={errors.category}
              onChange={(event) => {
                setCategory(event.currentTarget.value as Category);
                if (errors.category) setErrors({ ...errors, category: undefined });
              }}
              data={[
                { value: '', label: t('newTicket.categoryPlaceholder'), disabled: true },
                ...CATEGORIES.map((value) => ({ value, label: t(`ticket.category.${value}`) })),
              ]}
            />
            <Radio.Group
              label={t('newTicket.urgency')}
              description={t('newTicket.urgencyHint')}
              value={urgency}
              onChange={(value) => setUrgency(value as Urgency)}
            >
              <Group gap="md" mt={6}>
                {URGENCIES.map((value) => (
                  <Radio key={value} value={value} label={t(`urgency.${value}`)} />
                ))}
              </Group>
            </Radio.Group>
            <Textarea
              ref={descriptionRef}
              label={t('newTicket.description')}
              description={t('newTicket.descriptionHint')}
              required
              autosize
              minRows={5}
              maxRows={16}
              maxLength={20_000}
              value={description}
              error={errors.description}
              onChange={(event) => {
                setDescription(event.currentTarget.value);
                if (errors.description) setErrors({ ...errors, description: undefined });
              }}
            />
            <DeflectionSuggestions
              sessionId={deflectionSession}
              subject={subject}
              description={description}
            />
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                {t('newTicket.attachments')}
              </Text>
              <AttachmentPicker uploads={uploads} />
            </Stack>
            <SnapshotDisclosure
              title={t('snapshot.whatWeWillSend')}
              intro={t('snapshot.whatWeWillSendIntro')}
              snapshot={preview}
            />
            <Group justify="flex-end">
              <Button component={Link} to="/" variant="default">
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={create.isPending} disabled={uploads.uploading}>
                {uploads.uploading ? t('newTicket.waitingForUploads') : t('newTicket.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
    </Stack>
  );
}
