import { MantineProvider } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import { useEffect } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { ForgotPasswordPage } from './accounts/ForgotPasswordPage';
import { SetPasswordPage } from './accounts/SetPasswordPage';
import { SignupPage } from './accounts/SignupPage';
import { AdminLayout } from './admin/AdminLayout';
import { MacrosAdminPage } from './admin/MacrosAdminPage';
import { PlaybooksAdminPage } from './admin/PlaybooksAdminPage';
import { ADMIN_SECTIONS } from './admin/sections';
import { CallPage } from './call/CallPage';
import { useCallDevicePreload } from './call/hooks';
import { AppLayout } from './components/AppLayout';
import { RequireAuth } from './components/RequireAuth';
import { FollowUpsPage } from './feedback/FollowUpsPage';
import { SurveyPage } from './feedback/SurveyPage';
import { ArticleEditorPage } from './help/ArticleEditorPage';
import { ArticlesPage } from './help/ArticlesPage';
import {
  HelpArticlePage,
  HelpCategoryPage,
  HelpHomePage,
  HelpSearchPage,
  PublicHelpLayout,
} from './help/PublicHelp';
import { recordingNotices } from './lib/recordingNotices';
import { session, useSession } from './lib/session';
import { sessionRenewal } from './lib/sessionRenewal';
import { realtime } from './lib/socket';
import { SettingsPage } from './notifications/SettingsPage';
import { HomePage } from './pages/HomePage';
import { LoginPage } from './pages/LoginPage';
import { NewTicketPage } from './pages/NewTicketPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { TicketPage } from './pages/TicketPage';
import { QaPage } from './qa/QaPage';
import { RecordingPage } from './qa/RecordingPage';
import { queryClient } from './queryClient';
import { QueuePage } from './queues/QueuePage';
import { ReportsPage } from './reports/ReportsPage';
import { cssVariablesResolver, theme } from './theme';

export function App() {
  useCallDevicePreload();
  const { session: current } = useSession();
  useEffect(() => {
    // Nothing cached for one user may be shown to the next one who signs in on this browser.
    const stopClearing = session.subscribe(() => {
      if (!session.current) {
        queryClient.clear();
        recordingNotices.clear();
      }
    });
    const stopRenewal = sessionRenewal.start();
    const stopRealtime = realtime.start();
    const stopNotices = recordingNotices.start();
    return () => {
      stopClearing();
      stopRenewal();
      stopRealtime();
      stopNotices();
    };
  }, []);

  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="light">
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <Routes>
            <Route path="/login" element={<LoginPage />} />
            {/* The public help centre: no sign-in. */}
            <Route path="help" element={<PublicHelpLayout />}>
              <Route index element={<HelpHomePage />} />
              <Route path="search" element={<HelpSearchPage />} />
              <Route path="articles/:id" element={<HelpArticlePage />} />
              <Route path="categories/:category" element={<HelpCategoryPage />} />
            </Route>
            <Route path="/signup" element={<SignupPage />} />
            <Route path="/forgot-password" element={<ForgotPasswordPage />} />
            <Route path="/reset-password" element={<SetPasswordPage purpose="password_reset" />} />
            <Route path="/accept-invitation" element={<SetPasswordPage purpose="invitation" />} />
            <Route path="/rate" element={<SurveyPage />} />
            <Route element={<RequireAuth />}>
              {/* The call has its own full-window layout, without the app's header. */}
              <Route path="tickets/:ticketId/call/:callId" element={<CallPage />} />
              <Route element={<AppLayout />}>
                <Route index element={<HomePage />} />
                <Route path="tickets/new" element={<NewTicketPage />} />
                <Route path="tickets/:id" element={<TicketPage />} />
                <Route path="qa" element={<QaPage />} />
                <Route path="qa/recordings/:id" element={<RecordingPage />} />
                <Route path="feedback" element={<FollowUpsPage />} />
                <Route path="articles" element={<ArticlesPage />} />
                <Route path="articles/new" element={<ArticleEditorPage />} />
                <Route path="articles/:id" element={<ArticleEditorPage />} />
                <Route path="queue" element={<QueuePage />} />
                <Route path="macros" element={<MacrosAdminPage />} />
                <Route path="playbooks" element={<PlaybooksAdminPage />} />
                <Route path="admin" element={<AdminLayout />}>
                  {/* The layout checks the role and redirects /admin to the first section allowed. */}
                  <Route index element={null} />
                  {ADMIN_SECTIONS.map((s) => (
                    <Route key={s.path} path={s.path} element={s.element} />
                  ))}
                </Route>
                <Route path="reports" element={<ReportsPage />} />
                <Route path="settings" element={<SettingsPage />} />
                {/* Signed in, a wrong address keeps the header: the way on is one click away. */}
                {current && <Route path="*" element={<NotFoundPage framed />} />}
              </Route>
            </Route>
            {!current && <Route path="*" element={<NotFoundPage />} />}
          </Routes>
        </BrowserRouter>
      </QueryClientProvider>
    </MantineProvider>
  );
}
