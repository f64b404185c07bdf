import {
  Badge,
  Button,
  Group,
  Modal,
  PasswordInput,
  Select,
  Stack,
  Switch,
  Table,
  TagsInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue, useDocumentTitle } from '@mantine/hooks';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role, TIERS, type Tier } from '../../../signaling/shared/protocol';
import { QueryState } from '../components/QueryState';
import { useSession } from '../lib/session';
import type { AdminUser, NewUser, UserFilter } from './api';
import { ErrorNotice } from './ErrorNotice';
import { PagedTable } from './PagedTable';
import { useAdminUsers, useCreateUser, useSendPasswordReset, useUpdateUser } from './queries';

const PAGE = 25;
const LOCALES = ['en', 'zh-CN'] as const;

/** Users: search, filter, create or invite, edit, disable and re-enable, send a reset link. */
export function UsersPage() {
  const { t } = useTranslation();
  useDocumentTitle(`${t('admin.sections.users')} · ${t('app.name')}`);
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q, 250);
  const [role, setRole] = useState<Role | ''>('');
  const [status, setStatus] = useState<UserFilter['status']>('all');
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<AdminUser | 'new' | null>(null);
  const filter: UserFilter = { q: debounced.trim(), role, status, limit: PAGE, offset: (page - 1) * PAGE };
  const users = useAdminUsers(filter);

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Title order={2} size="h3">
          {t('admin.sections.users')}
        </Title>
        <Button onClick={() => setEditing('new')}>{t('admin.users.add')}</Button>
      </Group>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <TextInput
          label={t('admin.users.search')}
          placeholder={t('admin.users.searchPlaceholder')}
          value={q}
          onChange={(e) => {
            setQ(e.currentTarget.value);
            setPage(1);
          }}
          style={{ flex: '1 1 220px' }}
          type="search"
        />
        <Select
          label={t('admin.users.role')}
          value={role}
          data={[
            { value: '', label: t('admin.users.anyRole') },
            ...ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) })),
          ]}
          onChange={(v) => {
            setRole((v ?? '') as Role | '');
            setPage(1);
          }}
          allowDeselect={false}
          w={160}
        />
        <Select
          label={t('admin.users.status')}
          value={status}
          data={(['all', 'active', 'disabled'] as const).map((s) => ({
            value: s,
            label: t(`admin.users.statuses.${s}`),
          }))}
          onChange={(v) => {
            setStatus((v ?? 'all') as UserFilter['status']);
            setPage(1);
          }}
          allowDeselect={false}
          w={140}
        />
      </Group>
      <QueryState query={users} loadingLabel={t('admin.users.loading')} loading={{ skeleton: 6, height: 28 }}>
        {(data) => (
          <PagedTable
            total={data.total}
            page={page}
            pageSize={PAGE}
            onPage={setPage}
            count={t('admin.users.count', { count: data.total })}
            empty={filter.q || role || status !== 'all' ? t('admin.users.noMatch') : t('admin.users.empty')}
            striped
            head={
              <>
                <Table.Th>{t('admin.users.name')}</Table.Th>
                <Table.Th>{t('admin.users.email')}</Table.Th>
                <Table.Th>{t('admin.users.role')}</Table.Th>
                <Table.Th>{t('admin.users.skills')}</Table.Th>
                <Table.Th>{t('admin.users.status')}</Table.Th>
                <Table.Th />
              </>
            }
          >
            {data.items.map((u) => (
              <Table.Tr key={u.id}>
                <Table.Td fw={500}>{u.name}</Table.Td>
                <Table.Td>{u.email}</Table.Td>
                <Table.Td>
                  {t(`roles.${u.role}`)}
                  {u.tier ? ` · ${u.tier}` : ''}
                </Table.Td>
                <Table.Td>
                  <Text size="sm" lineClamp={1}>
                    {u.skills.join(', ') || '—'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge color={u.disabled ? 'gray' : 'teal'} variant="light">
                    {t(u.disabled ? 'admin.users.statuses.disabled' : 'admin.users.statuses.active')}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Button
                    size="xs"
                    variant="default"
                    onClick={() => setEditing(u)}
                    aria-label={t('admin.users.editOf', { name: u.name })}
                  >
                    {t('admin.users.edit')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </PagedTable>
        )}
      </QueryState>
      {editing && (
        <UserDialog
          key={editing === 'new' ? 'new' : editing.id}
          user={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
        />
      )}
    </Stack>
  );
}

/** Create (or invite) and edit in one form; an existing account also gets disable and reset. */
function UserDialog({ user, onClose }: { user: AdminUser | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { session: current } = useSession();
  const create = useCreateUser();
  const update = useUpdateUser();
  const reset = useSendPasswordReset();
  const [done, setDone] = useState<string | null>(null);
  const [form, setForm] = useState({
    email: user?.email ?? '',
    name: user?.name ?? '',
    role: (user?.role ?? 'agent') as Role,
    tier: (user?.tier ?? 'L1') as Tier,
    skills: user?.skills ?? [],
    languages: user?.languages ?? [],
    locale: (user?.locale ?? 'en') as (typeof LOCALES)[number],
    invite: true,
    password: '',
  });
  const self = user?.id === current?.user.id;
  const set = <K extends keyof typeof form>(key: K, value: (typeof form)[K]) =>
    setForm({ ...form, [key]: value });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const tier = form.role === 'agent' ? form.tier : undefined;
    if (!user) {
      const body: NewUser = {
        email: form.email,
        name: form.name,
        role: form.role,
        ...(tier ? { tier } : {}),
        skills: form.skills,
        languages: form.languages,
        locale: form.locale,
        ...(form.invite ? {} : { password: form.password }),
      };
      create.mutate(body, {
        onSuccess: (res) =>
          setDone(t(res.invited ? 'admin.users.invited' : 'admin.users.created', { email: res.user.email })),
      });
    } else {
      update.mutate(
        {
          id: user.id,
          patch: {
            name: form.name,
            ...(self ? {} : { role: form.role, tier: tier ?? null }),
            skills: form.skills,
            languages: form.languages,
            locale: form.locale,
          },
        },
        { onSuccess: onClose },
      );
    }
  };

  return (
    <Modal
      opened
      onClose={onClose}
      title={user ? t('admin.users.editTitle', { name: user.name }) : t('admin.users.add')}
      size="lg"
    >
      {done ? (
        <Stack>
          <Text role="status">{done}</Text>
          <Group justify="flex-end">
            <Button onClick={onClose}>{t('common.dismiss')}</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <TextInput
              label={t('admin.users.email')}
              type="email"
              required
              disabled={!!user}
              value={form.email}
              onChange={(e) => set('email', e.currentTarget.value)}
              autoComplete="off"
            />
            <TextInput
              label={t('admin.users.name')}
              required
              value={form.name}
              onChange={(e) => set('name', e.currentTarget.value)}
            />
            <Group grow align="flex-start">
              <Select
                label={t('admin.users.role')}
                value={form.role}
                disabled={self}
                description={self ? t('admin.users.ownRole') : undefined}
                data={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
                onChange={(v) => v && set('role', v as Role)}
                allowDeselect={false}
              />
              {form.role === 'agent' && (
                <Select
                  label={t('admin.users.tier')}
                  value={form.tier}
                  data={TIERS.map((x) => ({ value: x, label: x }))}
                  onChange={(v) => v && set('tier', v as Tier)}
                  allowDeselect={false}
                />
              )}
            </Group>
            <TagsInput
              label={t('admin.users.skills')}
              description={t('admin.users.skillsHint')}
              value={form.skills}
              onChange={(v) => set('skills', v)}
              clearable
            />
            <TagsInput
              label={t('admin.users.languages')}
              description={t('admin.users.languagesHint')}
              data={['en', 'zh-CN']}
              value={form.languages}
              onChange={(v) => set('languages', v)}
              clearable
            />
            <Select
              label={t('admin.users.locale')}
              value={form.locale}
              data={LOCALES.map((l) => ({ value: l, label: l === 'en' ? 'English' : '中文' }))}
              onChange={(v) => v && set('locale', v as (typeof LOCALES)[number])}
              allowDeselect={false}
            />
            {!user && (
              <>
                <Switch
                  label={t('admin.users.invite')}
                  description={t('admin.users.inviteHint')}
                  checked={form.invite}
                  onChange={(e) => set('invite', e.currentTarget.checked)}
                />
                {!form.invite && (
                  <PasswordInput
                    label={t('admin.users.password')}
                    description={t('admin.users.passwordHint')}
                    required
                    value={form.password}
                    onChange={(e) => set('password', e.currentTarget.value)}
                    autoComplete="new-password"
                  />
                )}
              </>
            )}
            <ErrorNotice error={create.error ?? update.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={create.isPending || update.isPending}>
                {user ? t('admin.save') : form.invite ? t('admin.users.sendInvite') : t('admin.users.create')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
      {user && !done && (
        <Stack gap="xs" mt="lg" pt="md" style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
          <Text fw={600} size="sm">
            {t('admin.users.access')}
          </Text>
          <Group gap="sm">
            <Button
              variant="default"
              size="xs"
              disabled={user.disabled}
              loading={reset.isPending}
              onClick={() =>
                reset.mutate(user.id, {
                  onSuccess: () => setDone(t('admin.users.resetSent', { email: user.email })),
                })
              }
            >
              {t('admin.users.sendReset')}
            </Button>
            <Button
              color={user.disabled ? 'teal' : 'red'}
              variant="light"
              size="xs"
              disabled={self}
              loading={update.isPending}
              onClick={() =>
                update.mutate({ id: user.id, patch: { disabled: !user.disabled } }, { onSuccess: onClose })
              }
            >
              {user.disabled ? t('admin.users.enable') : t('admin.users.disable')}
            </Button>
          </Group>
          <Text size="xs" c="dimmed">
            {user.disabled ? t('admin.users.disabledHint') : t('admin.users.disableHint')}
          </Text>
          <ErrorNotice error={reset.error} />
        </Stack>
      )}
    </Modal>
  );
}
