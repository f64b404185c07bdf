import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchArticles } from '../../server/help';
import type { ArticleVersionView, ArticleView, SearchResultView } from '../../signaling/shared/help';
import { BACKENDS } from '../helpers/database';
import { DEMO, login, restAs, startTestApp, type TestApp } from '../helpers/testApp';

// The help centre's search and authoring over the real REST API, on each backend: Chinese
// multi-character queries, English stems, typing errors, synonyms, titles above bodies, drafts
// never public, languages; who may write and publish, and the version history.
describe.each(BACKENDS)('help centre on %s', (backend) => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const api = restAs(() => t.url, tokens);
  const ids: Record<string, string> = {};

  async function publicSearch(q: string, locale?: string) {
    const params = new URLSearchParams({ q, ...(locale ? { locale } : {}) });
    const res = await fetch(`${t.url}/api/help/search?${params}`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { results: SearchResultView[] }).results;
  }

  async function article(who: string, key: string, input: Record<string, unknown>) {
    const res = await api<ArticleView>(who, '/api/help/articles', { method: 'POST', body: input });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    ids[key] = res.body.id;
    return res.body;
  }

  beforeAll(async () => {
    t = await startTestApp({ backend });
    for (const [key, email] of Object.entries(DEMO)) tokens[key] = await login(t.url, email);
    const published = { status: 'published' };
    await article('supervisor', 'refund', {
      title: 'How to request a refund for a course',
      body: 'Open **Orders**, choose the course and press *Request refund*. Refunds reach your card within 5 working days.',
      locale: 'en',
      category: 'payment',
      ...published,
    });
    await article('supervisor', 'refundBody', {
      title: 'Payment methods we accept',
      body: 'We accept cards and bank transfer. A refund is paid back the same way you paid.',
      locale: 'en',
      category: 'payment',
      ...published,
    });
    await article('supervisor', 'camera', {
      title: 'Camera not working in a video call',
      body: 'Allow camera access in the browser settings, close other apps that use the camera, then rejoin the call.',
      locale: 'en',
      category: 'video_call',
      ...published,
    });
    await article('supervisor', 'password', {
      title: 'Resetting a forgotten password',
      body: 'On the sign-in page choose "Forgot password" and follow the link we e-mail you.',
      locale: 'en',
      category: 'account',
      ...published,
    });
    await article('supervisor', 'zhRefund', {
      title: '如何申请课程退款',
      body: '打开订单页面，选择课程，点击申请退款。退款会在五个工作日内退回原支付账户。',
      locale: 'zh-CN',
      category: 'payment',
      ...published,
    });
    await article('supervisor', 'zhVideo', {
      title: '课程视频无法播放怎么办',
      body: '请检查网络连接，清除浏览器缓存后刷新页面。如果视频仍然卡顿，请切换清晰度。',
      locale: 'zh-CN',
      category: 'course',
      ...published,
    });
    await article('supervisor', 'zhCert', {
      title: '结业证书在哪里下载',
      body: '完成全部课程并通过考试后，在个人中心的证书页面下载电子证书。',
      locale: 'zh-CN',
      category: 'course',
      ...published,
    });
    await article('agentL1', 'draft', {
      title: 'Secret unreleased pricing draft',
      body: 'Nobody outside should find this refund draft.',
      locale: 'en',
      category: 'payment',
      status: 'draft',
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('finds Chinese articles by multi-character words in customer phrasing', async () => {
    const video = await publicSearch('视频一直播放不了', 'zh-CN');
    expect(video[0]?.id).toBe(ids.zhVideo);
    const cert = await publicSearch('证书怎么下载', 'zh-CN');
    expect(cert[0]?.id).toBe(ids.zhCert);
    // The snippet marks the words found.
    const marked = cert[0]!.highlights.map((h) => cert[0]!.snippet.slice(h.start, h.end));
    expect(marked).toContain('下载');
  });

  it('matches English stems, and ranks title matches above body matches', async () => {
    const results = await publicSearch('refunds', 'en');
    expect(results.map((r) => r.id).slice(0, 2)).toEqual([ids.refund, ids.refundBody]);
    expect((await publicSearch('camera access browser', 'en'))[0]?.id).toBe(ids.camera);
  });

  it('tolerates typing errors', async () => {
    expect((await publicSearch('pasword forgoten', 'en'))[0]?.id).toBe(ids.password);
    expect((await publicSearch('refnud', 'en'))[0]?.id).toBe(ids.refund);
  });

  it('applies the synonyms, and an admin edits them', async () => {
    expect((await publicSearch('我想退钱', 'zh-CN'))[0]?.id).toBe(ids.zhRefund);
    expect((await publicSearch('money back for my course', 'en'))[0]?.id).toBe(ids.refund);
    // Not a synonym yet: nothing about cameras says "lens".
    expect((await publicSearch('lens', 'en')).map((r) => r.id)).not.toContain(ids.camera);
    const settings = await api('admin', '/api/help/settings');
    const put = await api('admin', '/api/help/settings', {
      method: 'PUT',
      body: { ...settings.body, synonyms: [...settings.body.synonyms, { from: 'lens', to: 'camera' }] },
    });
    expect(put.status).toBe(200);
    expect((await publicSearch('lens', 'en'))[0]?.id).toBe(ids.camera);
    expect(
      (await api('supervisor', '/api/help/settings', { method: 'PUT', body: settings.body })).status,
    ).toBe(403);
  });

  it('never shows drafts, and keeps to the language asked for', async () => {
    const all = await publicSearch('refund draft');
    expect(all.map((r) => r.id)).not.toContain(ids.draft);
    const en = await publicSearch('refund', 'en');
    expect(en.every((r) => r.locale === 'en')).toBe(true);
    const zh = await publicSearch('退款', 'zh-CN');
    expect(zh.map((r) => r.id)).toEqual([ids.zhRefund]);
    expect((await fetch(`${t.url}/api/help/public/articles/${ids.draft}`)).status).toBe(404);
  });

  it('exports searchArticles for other callers (a bot)', async () => {
    const results = await searchArticles(t.app.db.db, { q: 'forgot my password', locale: 'en', limit: 1 });
    expect(results).toHaveLength(1);
    expect(results[0]!.id).toBe(ids.password);
    expect(results[0]!.coverage).toBeGreaterThan(0.5);
  });

  it('checks who writes and who publishes', async () => {
    const body = { title: 'A customer try', body: 'x', locale: 'en', status: 'draft' };
    expect((await api('customer', '/api/help/articles', { method: 'POST', body })).status).toBe(403);
    expect((await api('qa', '/api/help/articles', { method: 'POST', body })).status).toBe(403);
    const anonymous = await fetch(`${t.url}/api/help/articles`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(anonymous.status).toBe(401);
    // An agent writes drafts but may not publish under the default settings…
    const publish = { ...body, title: 'Agent publishes', status: 'published' };
    expect((await api('agentL1', '/api/help/articles', { method: 'POST', body: publish })).status).toBe(403);
    expect(
      (await api('agentL1', `/api/help/articles/${ids.draft}/publish`, { method: 'POST', body: {} })).status,
    ).toBe(403);
    // …until an admin lets agents publish.
    const settings = await api('admin', '/api/help/settings');
    await api('admin', '/api/help/settings', {
      method: 'PUT',
      body: { ...settings.body, publishRoles: ['agent', 'supervisor', 'admin'] },
    });
    const res = await api<ArticleView>('agentL1', '/api/help/articles', { method: 'POST', body: publish });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('published');
    await api('admin', '/api/help/settings', { method: 'PUT', body: settings.body });
    // Bad input changes nothing.
    const bad = await api('supervisor', '/api/help/articles', {
      method: 'POST',
      body: { title: 'x', body: 'y', locale: 'fr', status: 'live' },
    });
    expect(bad.status).toBe(400);
    expect((await fetch(`${t.url}/api/help/search?q=`)).status).toBe(400);
  });

  it('keeps versions: edits stay unpublished until published, and an earlier version can return', async () => {
    const created = await article('supervisor', 'versioned', {
      title: 'Changing your display name',
      body: 'Go to Profile and edit the display name.',
      locale: 'en',
      category: 'account',
      status: 'published',
    });
    const edited = await api<ArticleView>('agentL1', `/api/help/articles/${created.id}`, {
      method: 'PATCH',
      body: { body: 'Go to Settings → Profile and change the nickname field.' },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.hasUnpublishedChanges).toBe(true);
    // The public still reads version 1 and the search does not know the new words.
    const publicView = await (await fetch(`${t.url}/api/help/public/articles/${created.id}`)).json();
    expect(publicView.body).toBe('Go to Profile and edit the display name.');
    expect((await publicSearch('nickname', 'en')).map((r) => r.id)).not.toContain(created.id);
    await api('supervisor', `/api/help/articles/${created.id}/publish`, { method: 'POST', body: {} });
    expect((await publicSearch('nickname', 'en'))[0]?.id).toBe(created.id);
    const versions = await api<{ items: ArticleVersionView[] }>(
      'supervisor',
      `/api/help/articles/${created.id}/versions`,
    );
    expect(versions.body.items.map((v) => [v.number, v.current])).toEqual([
      [2, true],
      [1, false],
    ]);
    const first = versions.body.items[1]!;
    const back = await api<ArticleView>('supervisor', `/api/help/articles/${created.id}/publish`, {
      method: 'POST',
      body: { versionId: first.id },
    });
    expect(back.body.publishedBody).toBe('Go to Profile and edit the display name.');
    expect((await publicSearch('nickname', 'en')).map((r) => r.id)).not.toContain(created.id);
  });

  it('takes one anonymous helpful vote per article and address', async () => {
    const vote = (helpful: boolean) =>
      fetch(`${t.url}/api/help/public/articles/${ids.camera}/feedback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ helpful }),
      });
    expect((await vote(true)).status).toBe(201);
    expect((await vote(true)).status).toBe(429);
    const view = await api<ArticleView>('supervisor', `/api/help/articles/${ids.camera}`);
    expect(view.body.helpfulYes).toBe(1);
  });
});
