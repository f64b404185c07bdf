// The website widget's lean shell (client/widget.html, served at /widget inside the loader's
// iframe): a header with Help / Chat and a close button, and the portal's own pages in a memory
// router — the public help centre first, then the customer's conversations, the new-conversation
// form (with the problem snapshot and attachments) and the call page.
import { ActionIcon, Box, Group, MantineProvider, Tabs, Text } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { MemoryRouter, Outlet, Route, Routes, useLocation, useNavigate } from 'react-router';
import { CallPage } from '../call/CallPage';
import { RequireAuth } from '../components/RequireAuth';
import { Toaster } from '../components/Toaster';
import { HelpArticlePage, HelpCategoryPage, HelpHomePage, HelpSearchPage } from '../help/PublicHelp';
import { session, useSession } from '../lib/session';
import { realtime } from '../lib/socket';
import { NewTicketPage } from '../pages/NewTicketPage';
import { TicketPage } from '../pages/TicketPage';
import { queryClient } from '../queryClient';
import { cssVariablesResolver, theme } from '../theme';
import { useLiveUpdates } from '../tickets/useLiveUpdates';
import { WidgetConversations } from './WidgetConversations';
import { WidgetStart } from './WidgetStart';
import { widgetRenewal } from './widgetSession';

/** Asks the loader on the host page to close the panel (it returns focus to the launcher). */
export function closeWidget(): void {
  window.parent.postMessage({ type: 'livedesk:close' }, '*');
}

function LiveUpdates() {
  const { session: current } = useSession();
  return current ? <LiveUpdatesFor user={current.user} /> : null;
}
function LiveUpdatesFor({ user }: { user: NonNullable<ReturnType<typeof useSession>['session']>['user'] }) {
  useLiveUpdates(user);
  return null;
}

function WidgetFrame() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const tab = pathname.startsWith('/help') ? 'help' : 'chat';

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      // A dialog open inside the widget (Mantine's) takes Esc for itself first.
      if (event.key === 'Escape' && !event.defaultPrevented && !document.querySelector('[role="dialog"]'))
        closeWidget();
    };
    // The loader says when the panel opens: the search box (or the page's first field) gets focus.
    const onMessage = (event: MessageEvent) => {
      if (event.source !== window.parent || (event.data as { type?: string })?.type !== 'livedesk:opened')
        return;
      const target = document.querySelector<HTMLElement>('main input, main textarea, main button');
      target?.focus();
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('message', onMessage);
    window.parent.postMessage({ type: 'livedesk:ready' }, '*');
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('message', onMessage);
    };
  }, []);

  return (
    <Box h="100vh" style={{ display: 'flex', flexDirection: 'column' }}>
      <Box component="header" bg="blue.9" c="white" px="sm" pt="xs">
        <Group justify="space-between" wrap="nowrap" mb={4}>
          <Text fw={700} size="sm">
            {t('widget.title')}
          </Text>
          <ActionIcon
            variant="subtle"
            color="white"
            aria-label={t('widget.close')}
            onClick={closeWidget}
            data-testid="widget-close"
          >
            <span aria-hidden style={{ fontSize: 20, lineHeight: 1 }}>
              ×
            </span>
          </ActionIcon>
        </Group>
        <Tabs
          value={tab}
          onChange={(value) => void navigate(value === 'help' ? '/help' : '/')}
          variant="pills"
          color="white"
          styles={{ list: { paddingBottom: 8 } }}
        >
          <Tabs.List>
            <Tabs.Tab value="help" c={tab === 'help' ? 'blue.8' : 'white'}>
              {t('widget.helpTab')}
            </Tabs.Tab>
            <Tabs.Tab value="chat" c={tab === 'chat' ? 'blue.8' : 'white'}>
              {t('widget.chatTab')}
            </Tabs.Tab>
          </Tabs.List>
        </Tabs>
      </Box>
      <Box component="main" p="sm" style={{ flex: 1, overflowY: 'auto' }}>
        <Outlet />
      </Box>
      <LiveUpdates />
      <Toaster />
    </Box>
  );
}

export function WidgetApp() {
  useEffect(() => {
    const stopClearing = session.subscribe(() => {
      if (!session.current) queryClient.clear();
    });
    const stopRenewal = widgetRenewal.start();
    const stopRealtime = realtime.start();
    return () => {
      stopClearing();
      stopRenewal();
      stopRealtime();
    };
  }, []);

  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="light">
      <QueryClientProvider client={queryClient}>
        <MemoryRouter initialEntries={['/help']}>
          <Routes>
            {/* The call takes the whole frame, as it takes the whole window in the portal. */}
            <Route element={<RequireAuth />}>
              <Route path="tickets/:ticketId/call/:callId" element={<CallPage />} />
            </Route>
            <Route element={<WidgetFrame />}>
              <Route path="help" element={<HelpHomePage />} />
              <Route path="help/search" element={<HelpSearchPage />} />
              <Route path="help/articles/:id" element={<HelpArticlePage />} />
              <Route path="help/categories/:category" element={<HelpCategoryPage />} />
              <Route path="login" element={<WidgetStart />} />
              <Route element={<RequireAuth />}>
                <Route index element={<WidgetConversations />} />
                <Route path="tickets/new" element={<NewTicketPage channel="chat" />} />
                <Route path="tickets/:id" element={<TicketPage />} />
              </Route>
              <Route path="*" element={<WidgetConversations />} />
            </Route>
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>
  );
}
