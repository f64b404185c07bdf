// The public help centre at /help: no sign-in, the visitor's language (browser or switcher),
// search first, then categories; an article page with "Was this helpful?" and related articles.
import {
  Alert,
  Anchor,
  Box,
  Button,
  Card,
  Container,
  Group,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useNavigate, useParams, useSearchParams } from 'react-router';
import type { HelpLocale } from '../../../signaling/shared/help';
import { LanguageSwitcher } from '../components/LanguageSwitcher';
import { QueryState } from '../components/QueryState';
import { describeError } from '../errors';
import { currentLanguage } from '../i18n';
import { CATEGORIES } from '../lib/tickets';
import { helpApi, helpKeys } from './api';
import { HighlightedSnippet, Markdown } from './Markdown';

/** The visitor's help-centre language: the UI language (browser or switcher). */
export function useHelpLocale(): HelpLocale {
  useTranslation();
  return currentLanguage() as HelpLocale;
}

export function PublicHelpLayout() {
  const { t } = useTranslation();
  return (
    <Box mih="100vh" bg="gray.0">
      <Box component="header" bg="white" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <Container size="md" py="sm">
          <Group justify="space-between" wrap="nowrap">
            <Anchor component={Link} to="/help" fw={700} c="dark" underline="never">
              {t('help.centreName')}
            </Anchor>
            <Group gap="xs" wrap="nowrap">
              <LanguageSwitcher compact />
              <Anchor component={Link} to="/" size="sm">
                {t('help.contactSupport')}
              </Anchor>
            </Group>
          </Group>
        </Container>
      </Box>
      <Container size="md" py="lg" component="main">
        <Outlet />
      </Container>
    </Box>
  );
}

export function HelpSearchBox({
  initial = '',
  autoFocus = false,
}: {
  initial?: string;
  autoFocus?: boolean;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [q, setQ] = useState(initial);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (q.trim()) void navigate(`/help/search?q=${encodeURIComponent(q.trim())}`);
  };
  return (
    <search>
      <form onSubmit={submit}>
        <Group gap="xs" wrap="nowrap">
          <TextInput
            style={{ flex: 1 }}
            size="md"
            type="search"
            aria-label={t('help.searchLabel')}
            placeholder={t('help.searchPlaceholder')}
            value={q}
            autoFocus={autoFocus}
            maxLength={200}
            onChange={(e) => setQ(e.currentTarget.value)}
          />
          <Button type="submit" size="md">
            {t('help.search')}
          </Button>
        </Group>
      </form>
    </search>
  );
}

export function HelpHomePage() {
  const { t } = useTranslation();
  const locale = useHelpLocale();
  useDocumentTitle(t('help.centreName'));
  const list = useQuery({
    queryKey: helpKeys.publicList(locale),
    queryFn: () => helpApi.publicArticles(locale),
  });
  return (
    <Stack gap="lg">
      <Stack gap="xs">
        <Title order={1}>{t('help.homeHeading')}</Title>
        <HelpSearchBox autoFocus />
      </Stack>
      <QueryState query={list} loadingLabel={t('help.loading')}>
        {({ items }) =>
          items.length === 0 ? (
            <Text c="dimmed">{t('help.noArticles')}</Text>
          ) : (
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
              {CATEGORIES.filter((c) => items.some((a) => a.category === c)).map((category) => {
                const inCategory = items.filter((a) => a.category === category);
                return (
                  <Card key={category} withBorder component="section" aria-labelledby={`cat-${category}`}>
                    <Title order={2} fz="lg" id={`cat-${category}`} mb="xs">
                      <Anchor component={Link} to={`/help/categories/${category}`} c="dark">
                        {t(`ticket.category.${category}`)}
                      </Anchor>
                    </Title>
                    <Stack gap={6}>
                      {inCategory.slice(0, 5).map((a) => (
                        <Anchor key={a.id} component={Link} to={`/help/articles/${a.id}`}>
                          {a.title}
                        </Anchor>
                      ))}
                      {inCategory.length > 5 && (
                        <Anchor component={Link} to={`/help/categories/${category}`} size="sm" c="dimmed">
                          {t('help.allInCategory', { count: inCategory.length })}
                        </Anchor>
                      )}
                    </Stack>
                  </Card>
                );
              })}
            </SimpleGrid>
          )
        }
      </QueryState>
    </Stack>
  );
}

export function HelpCategoryPage() {
  const { t } = useTranslation();
  const { category = '' } = useParams();
  const locale = useHelpLocale();
  const name = (CATEGORIES as readonly string[]).includes(category)
    ? t(`ticket.category.${category as 'other'}`)
    : category;
  useDocumentTitle(`${name} · ${t('help.centreName')}`);
  const list = useQuery({
    queryKey: helpKeys.publicList(locale, category),
    queryFn: () => helpApi.publicArticles(locale, category),
  });
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/help" size="sm">
        ← {t('help.backHome')}
      </Anchor>
      <Title order={1}>{name}</Title>
      <QueryState query={list} loadingLabel={t('help.loading')}>
        {({ items }) =>
          items.length === 0 ? (
            <Text c="dimmed">{t('help.noArticles')}</Text>
          ) : (
            <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0 }}>
              {items.map((a) => (
                <li key={a.id}>
                  <Anchor component={Link} to={`/help/articles/${a.id}`}>
                    {a.title}
                  </Anchor>
                </li>
              ))}
            </Stack>
          )
        }
      </QueryState>
    </Stack>
  );
}

export function HelpSearchPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const q = params.get('q')?.trim() ?? '';
  const locale = useHelpLocale();
  useDocumentTitle(`${q} · ${t('help.centreName')}`);
  const results = useQuery({
    queryKey: helpKeys.search(q, locale),
    queryFn: ({ signal }) => helpApi.search(q, locale, signal),
    enabled: q.length > 0,
  });
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/help" size="sm">
        ← {t('help.backHome')}
      </Anchor>
      <HelpSearchBox key={q} initial={q} />
      {q && (
        <QueryState query={results} loadingLabel={t('help.searching')}>
          {({ results: items }) => (
            <Stack gap="sm" aria-live="polite">
              <Text size="sm" c="dimmed">
                {t('help.resultCount', { count: items.length, q })}
              </Text>
              {items.length === 0 && (
                <Alert variant="light" color="gray" title={t('help.noResultsTitle')}>
                  <Text size="sm">{t('help.noResults')}</Text>
                  <Anchor component={Link} to="/tickets/new" size="sm">
                    {t('help.askUs')}
                  </Anchor>
                </Alert>
              )}
              {items.map((r) => (
                <Card key={r.id} withBorder component="article" data-testid="help-result">
                  <Anchor component={Link} to={`/help/articles/${r.id}`} fw={600} fz="lg">
                    {r.title}
                  </Anchor>
                  <Text size="sm" c="dimmed" className="help-snippet" mt={4}>
                    <HighlightedSnippet text={r.snippet} highlights={r.highlights} />
                  </Text>
                </Card>
              ))}
            </Stack>
          )}
        </QueryState>
      )}
    </Stack>
  );
}

const VOTED_KEY = 'livedesk.help.voted';

function votedBefore(articleId: string): boolean {
  try {
    return (JSON.parse(window.localStorage.getItem(VOTED_KEY) ?? '[]') as string[]).includes(articleId);
  } catch {
    return false;
  }
}

function rememberVote(articleId: string) {
  try {
    const list = JSON.parse(window.localStorage.getItem(VOTED_KEY) ?? '[]') as string[];
    window.localStorage.setItem(VOTED_KEY, JSON.stringify([...list.slice(-200), articleId]));
  } catch {
    // Not remembered: the server's limit still keeps one vote per article and address.
  }
}

function HelpfulVote({ articleId }: { articleId: string }) {
  const { t } = useTranslation();
  const [done, setDone] = useState(() => votedBefore(articleId));
  const vote = useMutation({
    mutationFn: (helpful: boolean) => helpApi.vote(articleId, helpful),
    onSuccess: () => {
      rememberVote(articleId);
      setDone(true);
    },
  });
  if (done) {
    return (
      <Text size="sm" c="teal" role="status">
        {t('help.thanks')}
      </Text>
    );
  }
  return (
    <Stack gap={6}>
      <Group gap="sm">
        <Text fw={500}>{t('help.wasHelpful')}</Text>
        <Button
          size="xs"
          variant="light"
          loading={vote.isPending && vote.variables}
          onClick={() => vote.mutate(true)}
        >
          {t('help.yes')}
        </Button>
        <Button
          size="xs"
          variant="default"
          loading={vote.isPending && !vote.variables}
          onClick={() => vote.mutate(false)}
        >
          {t('help.no')}
        </Button>
      </Group>
      {vote.isError && (
        <Text size="sm" c="red" role="alert">
          {describeError(vote.error, t)}
        </Text>
      )}
    </Stack>
  );
}

export function HelpArticlePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const article = useQuery({
    queryKey: helpKeys.publicArticle(id),
    queryFn: () => helpApi.publicArticle(id),
  });
  useDocumentTitle(`${article.data?.title ?? t('help.article')} · ${t('help.centreName')}`);
  return (
    <Stack gap="md">
      <Group gap="xs">
        <Anchor component={Link} to="/help" size="sm">
          ← {t('help.backHome')}
        </Anchor>
        {article.data && (
          <>
            <Text size="sm" c="dimmed" aria-hidden>
              /
            </Text>
            <Anchor component={Link} to={`/help/categories/${article.data.category}`} size="sm">
              {t(`ticket.category.${article.data.category as 'other'}`)}
            </Anchor>
          </>
        )}
      </Group>
      <QueryState
        query={article}
        loadingLabel={t('help.loading')}
        loading="spinner"
        errorTitle={t('help.articleMissing')}
      >
        {(a) => (
          <Stack gap="lg">
            <Card withBorder p={{ base: 'md', sm: 'xl' }} component="article">
              <Title order={1} mb="xs">
                {a.title}
              </Title>
              {a.translations.length > 0 && (
                <Group gap="xs" mb="sm">
                  <Text size="sm" c="dimmed">
                    {t('help.alsoIn')}
                  </Text>
                  {a.translations.map((tr) => (
                    <Anchor
                      key={tr.id}
                      component={Link}
                      to={`/help/articles/${tr.id}`}
                      size="sm"
                      lang={tr.locale}
                    >
                      {tr.locale === 'zh-CN' ? '中文' : 'English'}
                    </Anchor>
                  ))}
                </Group>
              )}
              <Markdown>{a.body}</Markdown>
              <Box mt="lg" pt="md" style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
                <HelpfulVote articleId={a.id} />
              </Box>
            </Card>
            {a.related.length > 0 && (
              <Stack gap={6} component="section" aria-labelledby="related-heading">
                <Title order={2} fz="lg" id="related-heading">
                  {t('help.related')}
                </Title>
                {a.related.map((r) => (
                  <Anchor key={r.id} component={Link} to={`/help/articles/${r.id}`}>
                    {r.title}
                  </Anchor>
                ))}
              </Stack>
            )}
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}
