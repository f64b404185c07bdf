import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation } from 'react-router';
import { IncomingCallPrompt } from '../call/IncomingCallPrompt';
import { describeError } from '../errors';
import { api } from '../lib/api';
import { session, useSession } from '../lib/session';
import { sessionRenewal } from '../lib/sessionRenewal';
import { ME_QUERY_KEY } from '../queryClient';
import { FullPageError, FullPageLoading } from './FullPageStatus';

/**
 * Guards the signed-in part of the app. Without a session it sends the visitor to /login and
 * remembers where they were going; with one it first checks the stored token with the server
 * (`GET /api/auth/me`), because a token kept in localStorage may have been revoked meanwhile.
 */
export function RequireAuth() {
  const { t } = useTranslation();
  const location = useLocation();
  const { session: current } = useSession();
  const me = useQuery({
    queryKey: ME_QUERY_KEY,
    queryFn: ({ signal }) => api.me(signal),
    enabled: current !== null,
    staleTime: 5 * 60_000,
  });

  useEffect(() => {
    if (!me.data) return;
    session.updateUser(me.data);
  }, [me.data]);

  if (!current) return <Navigate to="/login" replace state={{ from: location }} />;
  if (me.isPending) return <FullPageLoading label={t('account.loading')} />;
  if (me.isError) {
    return (
      <FullPageError
        title={t('account.loadFailedTitle')}
        message={describeError(me.error, t)}
        actions={[
          { label: t('shell.signOut'), onClick: () => sessionRenewal.signOut('user') },
          { label: t('account.retry'), onClick: () => void me.refetch(), primary: true },
        ]}
      />
    );
  }
  return (
    <>
      <Outlet />
      {/* A call can ring on any page a customer has open, the call page included (a customer
          still on an ended call must hear the next one); it stays quiet on its own call's page. */}
      {me.data.role === 'customer' && <IncomingCallPrompt />}
    </>
  );
}
