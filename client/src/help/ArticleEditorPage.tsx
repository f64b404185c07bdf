// /articles/new and /articles/:id: write an article in Markdown with a live preview, insert
// images, save drafts (each save of the text is a version), publish, see and restore history.
import {
  Alert,
  Anchor,
  Badge,
  Button,
  FileButton,
  Grid,
  Group,
  NativeSelect,
  Paper,
  Stack,
  Tabs,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import type { ArticleView, HelpLocale } from '../../../signaling/shared/help';
import { QueryState } from '../components/QueryState';
import { describeError } from '../errors';
import { currentLanguage } from '../i18n';
import { formatDateTime } from '../lib/format';
import { useSession } from '../lib/session';
import { CATEGORIES } from '../lib/tickets';
import { helpApi, helpKeys } from './api';
import { Markdown } from './Markdown';

export function ArticleEditorPage() {
  const { id } = useParams();
  const article = useQuery({
    queryKey: helpKeys.article(id ?? 'new'),
    queryFn: () => helpApi.article(id!),
    enabled: Boolean(id),
  });
  const { t } = useTranslation();
  if (!id) return <ArticleEditor key="new" article={null} />;
  return (
    <QueryState
      query={article}
      loadingLabel={t('help.loading')}
      loading="spinner"
      errorTitle={t('help.articleMissing')}
    >
      {(a) => <ArticleEditor key={a.id} article={a} />}
    </QueryState>
  );
}

function ArticleEditor({ article }: { article: ArticleView | null }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const { session } = useSession();
  const translationOf = params.get('translationOf') ?? undefined;
  const [title, setTitle] = useState(article?.title ?? '');
  const [body, setBody] = useState(article?.body ?? '');
  const [locale, setLocale] = useState<HelpLocale>(
    article?.locale ?? (params.get('locale') as HelpLocale | null) ?? (currentLanguage() as HelpLocale),
  );
  const [category, setCategory] = useState(article?.category ?? params.get('category') ?? 'other');
  const [tags, setTags] = useState(article?.tags.join(', ') ?? '');
  const [tab, setTab] = useState<string | null>('write');
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  useDocumentTitle(`${article?.title ?? t('help.staff.new')} · ${t('app.name')}`);

  const tagList = tags
    .split(/[,，]/)
    .map((s) => s.trim())
    .filter(Boolean);
  const dirty =
    !article ||
    title !== article.title ||
    body !== article.body ||
    category !== article.category ||
    tagList.join(',') !== article.tags.join(',');

  const stored = (a: ArticleView) => {
    queryClient.setQueryData(helpKeys.article(a.id), a);
    void queryClient.invalidateQueries({ queryKey: ['help', 'articles'] });
    void queryClient.invalidateQueries({ queryKey: helpKeys.versions(a.id) });
    void queryClient.invalidateQueries({ queryKey: ['help', 'tasks'] });
  };
  const save = useMutation({
    mutationFn: () =>
      article
        ? helpApi.update(article.id, { title, body, category, tags: tagList })
        : helpApi.create({
            title,
            body,
            locale,
            category,
            tags: tagList,
            status: 'draft',
            ...(translationOf ? { translationOf } : {}),
          }),
    onSuccess: (a) => {
      stored(a);
      if (!article) void navigate(`/articles/${a.id}`, { replace: true });
    },
  });
  const publish = useMutation({
    mutationFn: async (versionId?: string) => {
      if (article && dirty) await helpApi.update(article.id, { title, body, category, tags: tagList });
      return helpApi.publish(article!.id, versionId);
    },
    onSuccess: (a) => {
      stored(a);
      setTitle(a.title);
      setBody(a.body);
    },
  });
  const unpublish = useMutation({ mutationFn: () => helpApi.unpublish(article!.id), onSuccess: stored });
  const upload = useMutation({
    mutationFn: (file: File) => helpApi.uploadImage(file, session?.token),
    onSuccess: ({ url }, file) => {
      const el = bodyRef.current;
      const at = el?.selectionStart ?? body.length;
      const snippet = `\n![${file.name.replace(/[[\]]/g, '')}](${url})\n`;
      setBody(body.slice(0, at) + snippet + body.slice(at));
    },
  });

  // Leaving with unsaved text asks first (closing the tab or reloading).
  useEffect(() => {
    if (!dirty || (!article && !title && !body)) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty, article, title, body]);

  const error = save.error ?? publish.error ?? unpublish.error;
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/articles" size="sm">
        ← {t('help.staff.heading')}
      </Anchor>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={1}>{article ? article.title : t('help.staff.new')}</Title>
          {article && (
            <Group gap="xs">
              <Badge color={article.status === 'published' ? 'teal' : 'gray'} variant="light">
                {t(`help.status.${article.status}`)}
              </Badge>
              {article.status === 'published' && article.hasUnpublishedChanges && (
                <Badge color="orange" variant="light">
                  {t('help.staff.unpublishedChanges')}
                </Badge>
              )}
              {article.status === 'published' && (
                <Anchor component={Link} to={`/help/articles/${article.id}`} size="sm" target="_blank">
                  {t('help.staff.viewPublic')}
                </Anchor>
              )}
            </Group>
          )}
        </Stack>
        <Group gap="xs">
          <Button
            variant="default"
            onClick={() => save.mutate()}
            loading={save.isPending}
            disabled={!dirty || title.trim().length < 3}
          >
            {t('help.staff.saveDraft')}
          </Button>
          {article?.canPublish && (
            <Button
              onClick={() => publish.mutate(undefined)}
              loading={publish.isPending}
              disabled={!body.trim()}
            >
              {t('help.staff.publish')}
            </Button>
          )}
          {article?.canPublish && article.status === 'published' && (
            <Button
              variant="subtle"
              color="red"
              onClick={() => unpublish.mutate()}
              loading={unpublish.isPending}
            >
              {t('help.staff.unpublish')}
            </Button>
          )}
        </Group>
      </Group>
      {article && !article.canPublish && (
        <Alert variant="light" color="blue">
          {t('help.staff.draftOnly')}
        </Alert>
      )}
      {error && (
        <Alert variant="light" color="red" title={t('help.staff.failed')}>
          {describeError(error, t)}
        </Alert>
      )}
      {publish.isSuccess && (
        <Text c="teal" size="sm" role="status">
          {t('help.staff.published')}
        </Text>
      )}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Paper withBorder p="md">
            <Stack gap="sm">
              <TextInput
                label={t('help.staff.title')}
                required
                maxLength={200}
                value={title}
                onChange={(e) => setTitle(e.currentTarget.value)}
                error={save.isError && title.trim().length < 3 ? t('help.staff.titleShort') : undefined}
              />
              <Group grow wrap="wrap" preventGrowOverflow={false}>
                <NativeSelect
                  label={t('help.staff.language')}
                  value={locale}
                  disabled={Boolean(article)}
                  onChange={(e) => setLocale(e.currentTarget.value as HelpLocale)}
                  data={[
                    { value: 'en', label: 'English' },
                    { value: 'zh-CN', label: '中文' },
                  ]}
                />
                <NativeSelect
                  label={t('help.staff.category')}
                  value={category}
                  onChange={(e) => setCategory(e.currentTarget.value)}
                  data={CATEGORIES.map((value) => ({ value, label: t(`ticket.category.${value}`) }))}
                />
                <TextInput
                  label={t('help.staff.tags')}
                  description={t('help.staff.tagsHint')}
                  value={tags}
                  onChange={(e) => setTags(e.currentTarget.value)}
                />
              </Group>
              <Tabs value={tab} onChange={setTab}>
                <Tabs.List>
                  <Tabs.Tab value="write">{t('help.staff.write')}</Tabs.Tab>
                  <Tabs.Tab value="preview">{t('help.staff.preview')}</Tabs.Tab>
                </Tabs.List>
                <Tabs.Panel value="write" pt="sm">
                  <Stack gap="xs">
                    <Textarea
                      ref={bodyRef}
                      aria-label={t('help.staff.body')}
                      description={t('help.staff.bodyHint')}
                      autosize
                      minRows={14}
                      maxRows={40}
                      value={body}
                      onChange={(e) => setBody(e.currentTarget.value)}
                      styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
                    />
                    <Group gap="xs">
                      <FileButton
                        onChange={(f) => f && upload.mutate(f)}
                        accept="image/png,image/jpeg,image/gif,image/webp"
                      >
                        {(props) => (
                          <Button {...props} size="xs" variant="light" loading={upload.isPending}>
                            {t('help.staff.insertImage')}
                          </Button>
                        )}
                      </FileButton>
                      {upload.isError && (
                        <Text size="sm" c="red" role="alert">
                          {upload.error.message}
                        </Text>
                      )}
                    </Group>
                  </Stack>
                </Tabs.Panel>
                <Tabs.Panel value="preview" pt="sm">
                  <Paper withBorder p="md" bg="gray.0" data-testid="article-preview">
                    {body.trim() ? (
                      <Markdown>{body}</Markdown>
                    ) : (
                      <Text c="dimmed">{t('help.staff.nothingToPreview')}</Text>
                    )}
                  </Paper>
                </Tabs.Panel>
              </Tabs>
            </Stack>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          {article && (
            <ArticleSidebar article={article} onRestore={(versionId) => publish.mutate(versionId)} />
          )}
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function ArticleSidebar({
  article,
  onRestore,
}: {
  article: ArticleView;
  onRestore: (versionId: string) => void;
}) {
  const { t } = useTranslation();
  const versions = useQuery({
    queryKey: helpKeys.versions(article.id),
    queryFn: () => helpApi.versions(article.id),
  });
  const other: HelpLocale = article.locale === 'en' ? 'zh-CN' : 'en';
  const hasOther = article.translations.some((tr) => tr.locale === other);
  return (
    <Stack gap="sm">
      <Paper withBorder p="md" component="section" aria-labelledby="translations-heading">
        <Title order={2} fz="md" id="translations-heading" mb="xs">
          {t('help.staff.translations')}
        </Title>
        <Stack gap={4}>
          {article.translations.map((tr) => (
            <Anchor key={tr.id} component={Link} to={`/articles/${tr.id}`} size="sm">
              {tr.locale}: {tr.title}
            </Anchor>
          ))}
          {!hasOther && (
            <Anchor
              component={Link}
              to={`/articles/new?translationOf=${article.id}&locale=${other}&category=${article.category}`}
              size="sm"
            >
              {t('help.staff.translate', { language: other === 'en' ? 'English' : '中文' })}
            </Anchor>
          )}
        </Stack>
      </Paper>
      {article.tickets.length > 0 && (
        <Paper withBorder p="md" component="section" aria-labelledby="article-tickets-heading">
          <Title order={2} fz="md" id="article-tickets-heading" mb="xs">
            {t('help.staff.fromTickets')}
          </Title>
          {article.tickets.map((ticket) => (
            <Anchor key={ticket.id} component={Link} to={`/tickets/${ticket.id}`} size="sm" display="block">
              #{ticket.number} {ticket.subject}
            </Anchor>
          ))}
        </Paper>
      )}
      <Paper withBorder p="md" component="section" aria-labelledby="history-heading">
        <Title order={2} fz="md" id="history-heading" mb="xs">
          {t('help.staff.history')}
        </Title>
        <QueryState query={versions} loadingLabel={t('help.loading')}>
          {({ items }) => (
            <Stack gap="xs" data-testid="article-history">
              {items.map((v) => (
                <Stack key={v.id} gap={2}>
                  <Group gap="xs">
                    <Text size="sm" fw={600}>
                      {t('help.staff.version', { number: v.number })}
                    </Text>
                    {v.current && (
                      <Badge size="xs" color="teal" variant="light">
                        {t('help.staff.current')}
                      </Badge>
                    )}
                  </Group>
                  <Text size="xs" c="dimmed">
                    {formatDateTime(v.createdAt)}
                    {v.author ? ` · ${v.author.name}` : ''}
                    {v.publishedAt
                      ? ` · ${t('help.staff.publishedBy', { name: v.publishedBy?.name ?? '' })}`
                      : ''}
                  </Text>
                  {article.canPublish && !v.current && (
                    <Anchor
                      component="button"
                      type="button"
                      size="xs"
                      onClick={() => onRestore(v.id)}
                      ta="left"
                    >
                      {t('help.staff.publishThis')}
                    </Anchor>
                  )}
                </Stack>
              ))}
            </Stack>
          )}
        </QueryState>
      </Paper>
    </Stack>
  );
}
