/** Sign in (a server-side session with an httpOnly cookie), then back to where the user was going. */
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { homeOf, useSession } from './session';
import { useI18n } from '../../i18n/i18n';
import { usePageTitle } from '../../components/usePageTitle';
import { problemText } from '../../components/ProblemAlert';

/** Only a path of this site (never another origin) is a place to go back to. */
export const safeNext = (next: string | null): string | null => (next && next.startsWith('/') && !next.startsWith('//') ? next : null);

export default function SignInPage() {
  const { t } = useI18n();
  usePageTitle(t('signIn.title'));
  const { user, signIn } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (user) return <Navigate replace to={next ?? homeOf(user.role)} />;

  const onFinish = async (v: { email: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      const u = await signIn(v.email.trim(), v.password);
      navigate(next ?? homeOf(u.role), { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card style={{ maxWidth: 420, margin: '32px auto' }}>
      <Typography.Title level={1} className="page-title" style={{ fontSize: 24 }}>{t('signIn.title')}</Typography.Title>
      {next ? <Typography.Paragraph type="secondary">{t('signIn.toContinue')}</Typography.Paragraph> : null}
      {error ? <Alert type="error" showIcon role="alert" style={{ marginBottom: 16 }} title={problemText(error, t).title} description={problemText(error, t).detail} /> : null}
      <Form layout="vertical" onFinish={onFinish} requiredMark={false} name="sign-in">
        <Form.Item label={t('signIn.email')} name="email" rules={[{ required: true, message: t('signIn.emailRequired') }]}>
          <Input inputMode="email" autoComplete="username" autoFocus />
        </Form.Item>
        <Form.Item label={t('signIn.password')} name="password" rules={[{ required: true, message: t('signIn.passwordRequired') }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy}>{t('signIn.submit')}</Button>
      </Form>
    </Card>
  );
}
