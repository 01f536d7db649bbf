/** The start: a signed-in user goes to their own work; a visitor sees what the service offers and the open calls. */
import { ButtonLink } from '../../components/ButtonLink';
import { Card, Col, Row, Spin, Typography } from 'antd';
import { Navigate } from 'react-router';
import { homeOf, useSession } from '../auth/session';
import { useI18n } from '../../i18n/i18n';
import { usePageTitle } from '../../components/usePageTitle';

export default function HomePage() {
  const { t } = useI18n();
  usePageTitle(t('home.title'));
  const { user, loading } = useSession();
  if (loading) return <Spin aria-label={t('common.loading')} style={{ display: 'block', margin: '64px auto' }} />;
  if (user) return <Navigate replace to={homeOf(user.role)} />;
  return (
    <>
      <Typography.Title level={1} className="page-title">{t('home.title')}</Typography.Title>
      <Typography.Paragraph style={{ maxWidth: 720 }}>{t('home.lead')}</Typography.Paragraph>
      <Row gutter={[16, 16]}>
        <Col xs={24} md={12}>
          <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('home.callsTitle')}</h2>}>
            <Typography.Paragraph>{t('home.callsText')}</Typography.Paragraph>
            <ButtonLink to="/calls" type="primary">{t('home.callsButton')}</ButtonLink>
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('home.signInTitle')}</h2>}>
            <Typography.Paragraph>{t('home.signInText')}</Typography.Paragraph>
            <ButtonLink to="/sign-in">{t('nav.signIn')}</ButtonLink>
          </Card>
        </Col>
      </Row>
    </>
  );
}
