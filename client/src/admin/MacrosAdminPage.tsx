import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  NativeSelect,
  Paper,
  SegmentedControl,
  Stack,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CONTENT_LOCALES,
  type ContentLocale,
  MACRO_PLACEHOLDERS,
  type MacroScope,
  type MacroView,
  unknownPlaceholders,
} from '../../../signaling/shared/macros';
import { PRIORITIES, type Priority, STATUSES, type TicketStatus } from '../../../signaling/shared/protocol';
import { QueryState } from '../components/QueryState';
import { describeError, describeFieldIssue } from '../errors';
import { isApiError } from '../lib/api';
import { pickLocalized } from '../lib/localized';
import { useSession } from '../lib/session';
import { toasts } from '../lib/toasts';
import { type MacroInput, useDeleteMacro, useMacros, useSaveMacro } from '../macros/api';
import { NotFoundPage } from '../pages/NotFoundPage';
import { ConfirmDelete } from './ConfirmDelete';

const TAG_PATTERN = /^[a-z0-9][a-z0-9_-]{0,39}$/;
const canShare = (role: string) => role === 'supervisor' || role === 'admin';

/**
 * `/macros`: canned replies. Every agent manages their personal macros here; supervisors and
 * admins also the shared ones the whole team uses. (The admin area will show this page too.)
 */
export function MacrosAdminPage() {
  const { t } = useTranslation();
  const { session } = useSession();
  useDocumentTitle(`${t('macros.heading')} · ${t('app.name')}`);
  const [q, setQ] = useState('');
  const [editing, setEditing] = useState<MacroView | 'new' | null>(null);
  const [deleting, setDeleting] = useState<MacroView | null>(null);
  const role = session?.user.role;
  const writer = role === 'agent' || role === 'supervisor' || role === 'admin';
  const macros = useMacros(q, writer);
  const remove = useDeleteMacro();
  if (!session || !role) return null;
  // Customers and QA reviewers write no replies: for them the page does not exist.
  if (!writer) return <NotFoundPage framed />;

  return (
    <Stack gap="md" maw={960} mx="auto">
      <Group justify="space-between" align="flex-end" gap="sm">
        <div>
          <Title order={1}>{t('macros.heading')}</Title>
          <Text c="dimmed" size="sm" mt={4}>
            {canShare(role) ? t('macros.introManager') : t('macros.introAgent')}
          </Text>
        </div>
        <Button onClick={() => setEditing('new')}>{t('macros.new')}</Button>
      </Group>
      <TextInput
        aria-label={t('macros.search')}
        placeholder={t('macros.search')}
        value={q}
        onChange={(event) => setQ(event.currentTarget.value)}
      />
      <QueryState query={macros} loadingLabel={t('macros.loading')}>
        {(items) =>
          items.length === 0 ? (
            <Paper withBorder p="lg">
              <Text c="dimmed">{q.trim() ? t('macros.picker.noMatch') : t('macros.empty')}</Text>
            </Paper>
          ) : (
            <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
              {items.map((macro) => (
                <Paper key={macro.id} withBorder p="md" component="li" data-testid="macro-row">
                  <Group justify="space-between" align="flex-start" gap="sm">
                    <Stack gap={4} style={{ flex: 1, minWidth: 0 }}>
                      <Group gap="xs">
                        <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
                          {macro.title}
                        </Text>
                        <Badge variant="light" color={macro.scope === 'shared' ? 'indigo' : 'gray'}>
                          {t(`macros.scope.${macro.scope}`)}
                        </Badge>
                        {CONTENT_LOCALES.filter((l) => macro.bodies[l]).map((l) => (
                          <Badge key={l} variant="outline" color="gray" size="sm">
                            {l === 'en' ? 'EN' : '中文'}
                          </Badge>
                        ))}
                      </Group>
                      <Text size="sm" c="dimmed" lineClamp={2} style={{ whiteSpace: 'pre-wrap' }}>
                        {pickLocalized(macro.bodies)}
                      </Text>
                      <ActionsSummary macro={macro} />
                    </Stack>
                    {macro.editable && (
                      <Group gap={6}>
                        <Button size="xs" variant="default" onClick={() => setEditing(macro)}>
                          {t('macros.edit')}
                        </Button>
                        <Button size="xs" variant="subtle" color="red" onClick={() => setDeleting(macro)}>
                          {t('macros.delete')}
                        </Button>
                      </Group>
                    )}
                  </Group>
                </Paper>
              ))}
            </Stack>
          )
        }
      </QueryState>
      <MacroForm
        key={editing === 'new' ? 'new' : (editing?.id ?? 'none')}
        macro={editing}
        shareable={canShare(role)}
        onClose={() => setEditing(null)}
      />
      <ConfirmDelete
        target={deleting?.id ?? null}
        onClose={() => setDeleting(null)}
        remove={remove}
        title={t('macros.deleteTitle')}
        message={t('macros.deleteConfirm', { title: deleting?.title ?? '' })}
        confirmLabel={t('macros.delete')}
        failedTitle={t('macros.deleteFailed')}
      />
    </Stack>
  );
}

function ActionsSummary({ macro }: { macro: MacroView }) {
  const { t } = useTranslation();
  const { status, priority, addTags } = macro.actions;
  if (!status && !priority && !addTags?.length) return null;
  return (
    <Group gap={6}>
      <Text size="xs" c="dimmed">
        {t('macros.alsoSets')}
      </Text>
      {status && (
        <Badge size="sm" variant="dot">
          {t(`ticket.status.${status}`)}
        </Badge>
      )}
      {priority && (
        <Badge size="sm" variant="dot">
          {priority}
        </Badge>
      )}
      {addTags?.map((tag) => (
        <Badge key={tag} size="sm" variant="outline">
          #{tag}
        </Badge>
      ))}
    </Group>
  );
}

function MacroForm({
  macro,
  shareable,
  onClose,
}: {
  macro: MacroView | 'new' | null;
  shareable: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const existing = macro && macro !== 'new' ? macro : null;
  const [scope, setScope] = useState<MacroScope>(existing?.scope ?? 'personal');
  const [title, setTitle] = useState(existing?.title ?? '');
  const [bodies, setBodies] = useState<Record<ContentLocale, string>>({
    en: existing?.bodies.en ?? '',
    'zh-CN': existing?.bodies['zh-CN'] ?? '',
  });
  const [status, setStatus] = useState<TicketStatus | ''>(existing?.actions.status ?? '');
  const [priority, setPriority] = useState<Priority | ''>(existing?.actions.priority ?? '');
  const [tags, setTags] = useState<string[]>(existing?.actions.addTags ?? []);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = useSaveMacro();

  const submit = () => {
    const next: Record<string, string> = {};
    if (!title.trim()) next.title = t('macros.form.titleRequired');
    for (const locale of CONTENT_LOCALES) {
      const unknown = unknownPlaceholders(bodies[locale]);
      if (unknown.length > 0)
        next[locale] = t('macros.form.unknownPlaceholder', {
          names: unknown.map((n) => `{{${n}}}`).join(', '),
        });
    }
    if (!bodies.en.trim() && !bodies['zh-CN'].trim()) next.en = t('macros.form.bodyRequired');
    const badTag = tags.find((tag) => !TAG_PATTERN.test(tag));
    if (badTag) next.tags = t('properties.tagInvalid', { tag: badTag });
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    const input: MacroInput = {
      scope,
      title: title.trim(),
      bodies: Object.fromEntries(CONTENT_LOCALES.filter((l) => bodies[l].trim()).map((l) => [l, bodies[l]])),
      actions: {
        ...(status ? { status } : {}),
        ...(priority ? { priority } : {}),
        ...(tags.length ? { addTags: tags } : {}),
      },
    };
    save.mutate(
      { id: existing?.id ?? null, input },
      {
        onSuccess: () => {
          toasts.show({ title: t('macros.saved'), color: 'teal' });
          onClose();
        },
        onError: (err) => {
          // The server checks the same rules; its field names lead the message to its field.
          if (isApiError(err) && err.details) {
            const fields: Record<string, string> = {};
            for (const issue of err.details) {
              const [head, locale] = issue.path.split('.');
              fields[head === 'bodies' && locale ? locale : (head ?? 'form')] = describeFieldIssue(issue, t);
            }
            setErrors(fields);
          }
        },
      },
    );
  };

  return (
    <Modal
      opened={macro !== null}
      onClose={onClose}
      title={existing ? t('macros.editTitle') : t('macros.newTitle')}
      size="lg"
    >
      <Stack gap="sm">
        {save.isError && (
          <Alert color="red" variant="light">
            {describeError(save.error, t)}
          </Alert>
        )}
        {!existing && shareable && (
          <SegmentedControl
            value={scope}
            onChange={(value) => setScope(value as MacroScope)}
            data={[
              { value: 'personal', label: t('macros.scope.personal') },
              { value: 'shared', label: t('macros.scope.shared') },
            ]}
            aria-label={t('macros.form.scope')}
          />
        )}
        <TextInput
          label={t('macros.form.title')}
          required
          maxLength={120}
          value={title}
          error={errors.title}
          onChange={(event) => setTitle(event.currentTarget.value)}
        />
        <Text size="xs" c="dimmed">
          {t('macros.form.placeholders')} {MACRO_PLACEHOLDERS.map((p) => `{{${p}}}`).join('  ')}
        </Text>
        {CONTENT_LOCALES.map((locale) => (
          <Textarea
            key={locale}
            label={locale === 'en' ? t('macros.form.bodyEn') : t('macros.form.bodyZh')}
            autosize
            minRows={3}
            maxRows={10}
            maxLength={10_000}
            value={bodies[locale]}
            error={errors[locale]}
            onChange={(event) => {
              const value = event.currentTarget.value;
              setBodies((b) => ({ ...b, [locale]: value }));
            }}
          />
        ))}
        <Text fw={500} size="sm">
          {t('macros.form.actions')}
        </Text>
        <Group grow align="flex-start">
          <NativeSelect
            label={t('ticket.fields.status')}
            value={status}
            onChange={(event) => setStatus(event.currentTarget.value as TicketStatus | '')}
            data={[
              { value: '', label: t('macros.form.noChange') },
              ...STATUSES.filter((s) => s !== 'new').map((s) => ({
                value: s,
                label: t(`ticket.status.${s}`),
              })),
            ]}
          />
          <NativeSelect
            label={t('ticket.fields.priority')}
            value={priority}
            onChange={(event) => setPriority(event.currentTarget.value as Priority | '')}
            data={[
              { value: '', label: t('macros.form.noChange') },
              ...PRIORITIES.map((p) => ({ value: p, label: p })),
            ]}
          />
        </Group>
        <TagsInput
          label={t('macros.form.addTags')}
          value={tags}
          error={errors.tags ?? errors.actions}
          onChange={(value) => setTags(value.map((v) => v.trim().toLowerCase()))}
          maxTags={10}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={submit} loading={save.isPending}>
            {t('macros.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
