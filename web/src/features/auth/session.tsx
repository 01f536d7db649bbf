/**
 * Who is signed in: the API's answer to GET /auth/me over the session cookie. Signing in
 * creates a server-side session (POST /auth/session), signing out ends it (DELETE).
 */
import { useEffect, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Navigate, useLocation } from 'react-router';
import { Spin } from 'antd';
import { api } from '../../api/client';
import { keys, useMe } from '../../api/queries';
import type { Role, SessionResult, UserView } from '../../api/types';
import { useI18n } from '../../i18n/i18n';

export function useSession() {
  const me = useMe();
  const qc = useQueryClient();
  return {
    user: me.data ?? null,
    loading: me.isPending,
    async signIn(email: string, password: string): Promise<UserView> {
      const r = await api<SessionResult>('POST', '/auth/session', { body: { email, password } });
      qc.clear();
      qc.setQueryData(keys.me, r.user);
      return r.user;
    },
    async signOut(): Promise<void> {
      try {
        await api('DELETE', '/auth/session');
      } finally {
        qc.clear();
        qc.setQueryData(keys.me, null);
      }
    },
  };
}

/** Keeps the page's language the signed-in user's own. */
export function UserLocaleSync() {
  const { user } = useSession();
  const { locale, setLocale } = useI18n();
  useEffect(() => {
    if (user && user.locale !== locale) setLocale(user.locale);
    // Only when the user (or their stored choice) changes: a switch in the page is saved to the user.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [user?.userId, user?.locale]);
  return null;
}

/** Pages for signed-in users: a visitor goes to sign in, then back here. */
export function RequireAuth({ children, roles }: { children: ReactNode; roles?: Role[] }) {
  const { user, loading } = useSession();
  const location = useLocation();
  const { t } = useI18n();
  if (loading) return <Spin aria-label={t('common.loading')} style={{ display: 'block', margin: '64px auto' }} />;
  if (!user) return <Navigate replace to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`} />;
  if (roles && !roles.includes(user.role)) return <Navigate replace to="/" />;
  return <>{children}</>;
}

/** Where a user starts: their own work. */
export const homeOf = (role: Role): string => (role === 'council_member' ? '/councils' : role === 'manager' || role === 'admin' ? '/dashboard' : '/tasks');
