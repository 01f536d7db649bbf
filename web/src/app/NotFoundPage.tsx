import { Result } from 'antd';
import { ButtonLink } from '../components/ButtonLink';
import { useI18n } from '../i18n/i18n';
import { usePageTitle } from '../components/usePageTitle';

export default function NotFoundPage() {
  const { t } = useI18n();
  usePageTitle(t('error.notFound'));
  return <Result status="404" title={<h1 className="page-title">{t('error.notFound')}</h1>} subTitle={t('error.notFoundHint')} extra={<ButtonLink to="/" type="primary">{t('nav.home')}</ButtonLink>} />;
}
