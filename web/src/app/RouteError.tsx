import { Result } from 'antd';
import { ButtonLink } from '../components/ButtonLink';
import { useRouteError } from 'react-router';
import { useI18n } from '../i18n/i18n';

/** A page that failed to load or render: a plain message and a way home, never a stack trace. */
export function RouteError() {
  const { t } = useI18n();
  const error = useRouteError();
  console.error(error);
  return (
    <main style={{ padding: 48 }}>
      <Result status="error" title={t('error.page')} subTitle={t('error.pageHint')} extra={<ButtonLink to="/" type="primary">{t('nav.home')}</ButtonLink>} />
    </main>
  );
}
