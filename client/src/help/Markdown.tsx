import { Anchor, Badge, Image, Table } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';

/** Hosts whose links are shown as videos (opened on the host: no third-party frame in the page). */
const VIDEO_HOSTS = [
  'youtube.com',
  'www.youtube.com',
  'youtu.be',
  'vimeo.com',
  'www.bilibili.com',
  'bilibili.com',
  'v.qq.com',
];

export function isVideoLink(href: string | undefined): boolean {
  if (!href) return false;
  try {
    const url = new URL(href, window.location.origin);
    return url.protocol === 'https:' && VIDEO_HOSTS.includes(url.hostname);
  } catch {
    return false;
  }
}

function LinkOut({ href, children }: { href?: string | undefined; children?: ReactNode }) {
  const { t } = useTranslation();
  const external = href ? /^https?:\/\//.test(href) : false;
  const video = isVideoLink(href);
  return (
    <Anchor
      href={href}
      {...(external ? { target: '_blank', rel: 'noopener noreferrer' } : {})}
      style={video ? { display: 'inline-flex', alignItems: 'center', gap: 6 } : undefined}
    >
      {video && (
        <Badge size="xs" color="red" variant="light" component="span">
          ▶ {t('help.video')}
        </Badge>
      )}
      {children}
    </Anchor>
  );
}

const components: Components = {
  a: ({ href, children }) => <LinkOut href={href}>{children}</LinkOut>,
  img: ({ src, alt }) => (
    <Image
      src={typeof src === 'string' ? src : undefined}
      alt={alt ?? ''}
      loading="lazy"
      radius="sm"
      maw="100%"
      w="auto"
      my="xs"
    />
  ),
  table: ({ children }) => (
    <Table.ScrollContainer minWidth={320}>
      <Table withTableBorder withColumnBorders>
        {children}
      </Table>
    </Table.ScrollContainer>
  ),
};

/**
 * An article's Markdown (GitHub flavour: tables, lists, task lists) as React elements. Raw HTML in
 * the text is not rendered (react-markdown drops it without rehype-raw) and unsafe URLs
 * (`javascript:`) are removed, so an article cannot script the help centre.
 */
export function Markdown({ children }: { children: string }) {
  return (
    <div className="help-markdown">
      <ReactMarkdown remarkPlugins={[remarkGfm]} components={components}>
        {children}
      </ReactMarkdown>
    </div>
  );
}

/** A search snippet with the query's words marked. */
export function HighlightedSnippet({
  text,
  highlights,
}: {
  text: string;
  highlights: Array<{ start: number; end: number }>;
}) {
  const parts: ReactNode[] = [];
  let at = 0;
  for (const [i, h] of highlights.entries()) {
    if (h.start < at) continue;
    parts.push(text.slice(at, h.start));
    parts.push(<mark key={i}>{text.slice(h.start, h.end)}</mark>);
    at = h.end;
  }
  parts.push(text.slice(at));
  return <>{parts}</>;
}
