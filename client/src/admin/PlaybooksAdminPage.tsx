import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  NativeSelect,
  NumberInput,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  PLAYBOOK_PREFILLS,
  type PlaybookPrefill,
  type PlaybookView,
  URGENCIES,
  type UrgencyRule,
} from '../../../signaling/shared/macros';
import { PRIORITIES, type Priority } from '../../../signaling/shared/protocol';
import { QueryState } from '../components/QueryState';
import { describeError } from '../errors';
import { pickLocalized } from '../lib/localized';
import { useSession } from '../lib/session';
import { CATEGORIES, type Category } from '../lib/tickets';
import { toasts } from '../lib/toasts';
import { NotFoundPage } from '../pages/NotFoundPage';
import {
  type PlaybookInput,
  useDeletePlaybook,
  usePlaybooks,
  useSavePlaybook,
  useSaveUrgencyRule,
  useUrgencyRule,
} from '../playbooks/api';
import { ConfirmDelete } from './ConfirmDelete';

type StepDraft = { key: number; id?: string; en: string; zh: string; prefill: PlaybookPrefill[] };

/**
 * `/playbooks`: one checklist per ticket category, in both languages, and the rule that turns a
 * customer's urgency into a priority. Staff read; admins edit. (The admin area will show it too.)
 */
export function PlaybooksAdminPage() {
  const { t } = useTranslation();
  const { session } = useSession();
  useDocumentTitle(`${t('playbooks.heading')} · ${t('app.name')}`);
  const staff = session !== null && session.user.role !== 'customer';
  const playbooks = usePlaybooks(staff);
  const [editing, setEditing] = useState<Category | null>(null);
  const [deleting, setDeleting] = useState<Category | null>(null);
  const remove = useDeletePlaybook();
  if (!session) return null;
  if (!staff) return <NotFoundPage framed />;
  const admin = session.user.role === 'admin';

  return (
    <Stack gap="md" maw={960} mx="auto">
      <div>
        <Title order={1}>{t('playbooks.heading')}</Title>
        <Text c="dimmed" size="sm" mt={4}>
          {admin ? t('playbooks.introAdmin') : t('playbooks.introStaff')}
        </Text>
      </div>
      <QueryState query={playbooks} loadingLabel={t('playbooks.loading')}>
        {(items) => {
          const byCategory = new Map(items.map((p) => [p.category, p]));
          return (
            <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
              {CATEGORIES.map((category) => {
                const playbook = byCategory.get(category);
                return (
                  <Paper key={category} withBorder p="md" component="li" data-testid={`playbook-${category}`}>
                    <Group justify="space-between" align="flex-start" gap="sm">
                      <Stack gap={4} style={{ flex: 1, minWidth: 0 }}>
                        <Group gap="xs">
                          <Text fw={600}>{t(`ticket.category.${category}`)}</Text>
                          {playbook?.followUpHours && (
                            <Badge variant="light" size="sm">
                              {t('playbooks.followUpBadge', { hours: playbook.followUpHours })}
                            </Badge>
                          )}
                        </Group>
                        <Text size="sm" c="dimmed">
                          {playbook
                            ? t('playbooks.summary', {
                                title: pickLocalized(playbook.title),
                                steps: playbook.steps.length,
                              })
                            : t('playbooks.none')}
                        </Text>
                      </Stack>
                      {admin && (
                        <Group gap={6}>
                          <Button size="xs" variant="default" onClick={() => setEditing(category)}>
                            {playbook ? t('playbooks.edit') : t('playbooks.create')}
                          </Button>
                          {playbook && (
                            <Button
                              size="xs"
                              variant="subtle"
                              color="red"
                              onClick={() => setDeleting(category)}
                            >
                              {t('playbooks.delete')}
                            </Button>
                          )}
                        </Group>
                      )}
                    </Group>
                  </Paper>
                );
              })}
              {editing && (
                <PlaybookForm
                  key={editing}
                  category={editing}
                  playbook={byCategory.get(editing) ?? null}
                  onClose={() => setEditing(null)}
                />
              )}
            </Stack>
          );
        }}
      </QueryState>
      <ConfirmDelete
        target={deleting}
        onClose={() => setDeleting(null)}
        remove={remove}
        title={t('playbooks.deleteTitle')}
        message={t('playbooks.deleteConfirm', { category: deleting ? t(`ticket.category.${deleting}`) : '' })}
        confirmLabel={t('playbooks.delete')}
        failedTitle={t('playbooks.saveFailed')}
      />
      {admin && <UrgencyRuleCard />}
    </Stack>
  );
}

let nextKey = 1;
const draftOf = (playbook: PlaybookView | null): StepDraft[] =>
  playbook
    ? playbook.steps.map((s) => ({
        key: nextKey++,
        id: s.id,
        en: s.text.en ?? '',
        zh: s.text['zh-CN'] ?? '',
        prefill: s.prefill,
      }))
    : [{ key: nextKey++, en: '', zh: '', prefill: [] }];

function PlaybookForm({
  category,
  playbook,
  onClose,
}: {
  category: Category;
  playbook: PlaybookView | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [titleEn, setTitleEn] = useState(playbook?.title.en ?? '');
  const [titleZh, setTitleZh] = useState(playbook?.title['zh-CN'] ?? '');
  const [steps, setSteps] = useState<StepDraft[]>(() => draftOf(playbook));
  const [followUp, setFollowUp] = useState<number | ''>(playbook?.followUpHours ?? '');
  const [error, setError] = useState<string | null>(null);
  const save = useSavePlaybook();
  const change = (key: number, patch: Partial<StepDraft>) =>
    setSteps((all) => all.map((s) => (s.key === key ? { ...s, ...patch } : s)));
  const move = (index: number, by: -1 | 1) =>
    setSteps((all) => {
      const next = [...all];
      const [step] = next.splice(index, 1);
      next.splice(index + by, 0, step!);
      return next;
    });

  const submit = () => {
    if (!titleEn.trim() && !titleZh.trim()) return setError(t('playbooks.form.titleRequired'));
    const filled = steps.filter((s) => s.en.trim() || s.zh.trim());
    if (filled.length === 0) return setError(t('playbooks.form.stepsRequired'));
    setError(null);
    const input: PlaybookInput = {
      title: { en: titleEn.trim(), 'zh-CN': titleZh.trim() },
      steps: filled.map((s) => ({
        ...(s.id ? { id: s.id } : {}),
        text: { en: s.en.trim(), 'zh-CN': s.zh.trim() },
        prefill: s.prefill,
      })),
      followUpHours: followUp === '' ? null : followUp,
    };
    save.mutate(
      { category, input },
      {
        onSuccess: () => {
          toasts.show({ title: t('playbooks.saved'), color: 'teal' });
          onClose();
        },
      },
    );
  };

  return (
    <Modal
      opened
      onClose={onClose}
      size="xl"
      title={t('playbooks.form.heading', { category: t(`ticket.category.${category}`) })}
    >
      <Stack gap="sm">
        {(error || save.isError) && (
          <Alert color="red" variant="light" role="alert">
            {error ?? describeError(save.error, t)}
          </Alert>
        )}
        <Group grow align="flex-start">
          <TextInput
            label={t('playbooks.form.titleEn')}
            value={titleEn}
            maxLength={120}
            onChange={(e) => setTitleEn(e.currentTarget.value)}
          />
          <TextInput
            label={t('playbooks.form.titleZh')}
            value={titleZh}
            maxLength={120}
            onChange={(e) => setTitleZh(e.currentTarget.value)}
          />
        </Group>
        {steps.map((step, index) => (
          <Paper key={step.key} withBorder p="sm">
            <Stack gap={6}>
              <Group justify="space-between" gap="xs">
                <Text size="sm" fw={600}>
                  {t('playbooks.form.step', { n: index + 1 })}
                </Text>
                <Group gap={4}>
                  <Button
                    size="compact-xs"
                    variant="default"
                    disabled={index === 0}
                    onClick={() => move(index, -1)}
                    aria-label={t('playbooks.form.up', { n: index + 1 })}
                  >
                    ↑
                  </Button>
                  <Button
                    size="compact-xs"
                    variant="default"
                    disabled={index === steps.length - 1}
                    onClick={() => move(index, 1)}
                    aria-label={t('playbooks.form.down', { n: index + 1 })}
                  >
                    ↓
                  </Button>
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    color="red"
                    disabled={steps.length === 1}
                    onClick={() => setSteps((all) => all.filter((s) => s.key !== step.key))}
                  >
                    {t('playbooks.form.removeStep')}
                  </Button>
                </Group>
              </Group>
              <TextInput
                label={t('playbooks.form.textEn')}
                value={step.en}
                maxLength={500}
                onChange={(e) => change(step.key, { en: e.currentTarget.value })}
              />
              <TextInput
                label={t('playbooks.form.textZh')}
                value={step.zh}
                maxLength={500}
                onChange={(e) => change(step.key, { zh: e.currentTarget.value })}
              />
              <Checkbox.Group
                label={t('playbooks.form.prefill')}
                value={step.prefill}
                onChange={(value) => change(step.key, { prefill: value as PlaybookPrefill[] })}
              >
                <Group gap="md" mt={4}>
                  {PLAYBOOK_PREFILLS.map((p) => (
                    <Checkbox key={p} value={p} label={t(`playbooks.prefill.${p}`)} />
                  ))}
                </Group>
              </Checkbox.Group>
            </Stack>
          </Paper>
        ))}
        <Button
          variant="light"
          disabled={steps.length >= 30}
          onClick={() => setSteps((all) => [...all, { key: nextKey++, en: '', zh: '', prefill: [] }])}
        >
          {t('playbooks.form.addStep')}
        </Button>
        <NumberInput
          label={t('playbooks.form.followUpHours')}
          description={t('playbooks.form.followUpHint')}
          min={1}
          max={720}
          allowDecimal={false}
          value={followUp}
          onChange={(value) => setFollowUp(typeof value === 'number' ? value : '')}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={submit} loading={save.isPending}>
            {t('playbooks.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** The admin's rule from a customer's urgency to the new ticket's priority. */
function UrgencyRuleCard() {
  const { t } = useTranslation();
  const rule = useUrgencyRule(true);
  const save = useSaveUrgencyRule();
  return (
    <Stack gap="sm" component="section" aria-labelledby="urgency-heading">
      <Title order={2} fz="h3" id="urgency-heading">
        {t('urgencyRule.heading')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('urgencyRule.intro')}
      </Text>
      <QueryState query={rule} loadingLabel={t('urgencyRule.loading')}>
        {(current) => (
          <Paper withBorder p="md">
            <Group gap="md" align="flex-end">
              {URGENCIES.map((urgency) => (
                <NativeSelect
                  key={urgency}
                  label={t(`urgency.${urgency}`)}
                  value={current[urgency]}
                  disabled={save.isPending}
                  onChange={(event) => {
                    const next: UrgencyRule = {
                      ...current,
                      [urgency]: event.currentTarget.value as Priority,
                    };
                    save.mutate(next, {
                      onSuccess: () => toasts.show({ title: t('urgencyRule.saved'), color: 'teal' }),
                      onError: (err) =>
                        toasts.show({
                          title: t('urgencyRule.saveFailed'),
                          message: describeError(err, t),
                          color: 'red',
                        }),
                    });
                  }}
                  data={PRIORITIES.map((p) => ({
                    value: p,
                    label: t('urgencyRule.priority', { priority: p }),
                  }))}
                />
              ))}
            </Group>
            {Object.values(current).includes('P1') && (
              <Alert color="orange" variant="light" mt="sm">
                {t('urgencyRule.p1Warning')}
              </Alert>
            )}
          </Paper>
        )}
      </QueryState>
    </Stack>
  );
}
