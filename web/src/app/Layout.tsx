/**
 * The frame of every page: a skip link, the header (the service's name, the sections the
 * user's role works in, language, the user and sign-out), the page, and the footer.
 * On a phone the sections fold into a drawer.
 */
import { ButtonLink } from '../components/ButtonLink';
import { useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { Button, Drawer, Dropdown, Grid, Layout as AntLayout, Menu, Segmented, Space, Typography } from 'antd';
import { MenuOutlined, UserOutlined } from '@ant-design/icons';
import { useI18n } from '../i18n/i18n';
import type { Locale } from '../i18n/locale';
import { UserLocaleSync, useSession } from '../features/auth/session';
import { useSetMyLocale } from '../api/queries';
import { label, ROLES } from '../i18n/labels';
import type { MessageKey } from '../i18n/messages';
import type { Role } from '../api/types';
import './layout.css';

const SECTIONS: { to: string; key: MessageKey; roles: (Role | 'visitor')[] }[] = [
  { to: '/tasks', key: 'nav.myTasks', roles: ['researcher'] },
  { to: '/tasks', key: 'nav.portfolio', roles: ['manager', 'admin'] },
  { to: '/tasks/new', key: 'nav.newProposal', roles: ['researcher', 'manager'] },
  { to: '/councils', key: 'nav.myCouncils', roles: ['council_member'] },
  { to: '/calls', key: 'nav.calls', roles: ['visitor', 'researcher', 'manager', 'admin', 'council_member'] },
  { to: '/signatures', key: 'nav.signatures', roles: ['manager', 'researcher', 'council_member'] },
  { to: '/documents', key: 'nav.documents', roles: ['manager', 'admin'] },
  { to: '/reports', key: 'nav.reports', roles: ['manager', 'admin'] },
  { to: '/admin/users', key: 'nav.users', roles: ['admin'] },
  { to: '/admin/audit', key: 'nav.audit', roles: ['admin'] },
];

export function Layout() {
  const { t, locale, setLocale } = useI18n();
  const { user, signOut } = useSession();
  const saveLocale = useSetMyLocale();
  const navigate = useNavigate();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const [drawer, setDrawer] = useState(false);
  const phone = !screens.md;

  const who: Role | 'visitor' = user?.role ?? 'visitor';
  const sections = SECTIONS.filter((s) => s.roles.includes(who));
  const selected = sections
    .filter((s) => location.pathname === s.to || location.pathname.startsWith(`${s.to}/`))
    .sort((a, b) => b.to.length - a.to.length)[0]?.to;
  const items = sections.map((s) => ({ key: s.to, label: <Link to={s.to} onClick={() => setDrawer(false)}>{t(s.key)}</Link> }));

  const changeLocale = (l: Locale) => {
    setLocale(l);
    if (user) saveLocale.mutate(l);
  };
  const languageSwitch = (
    <Segmented<Locale>
      size="small"
      aria-label={t('nav.language')}
      value={locale}
      onChange={changeLocale}
      options={[
        { value: 'vi', label: <span lang="vi">VI</span>, title: 'Tiếng Việt' },
        { value: 'en', label: <span lang="en">EN</span>, title: 'English' },
      ]}
    />
  );
  const account = user ? (
    <Dropdown
      trigger={['click']}
      menu={{
        items: [
          { key: 'who', label: <span>{user.name}<br /><Typography.Text type="secondary">{label(ROLES, user.role, locale)}</Typography.Text></span>, disabled: true },
          { type: 'divider' },
          { key: 'sign-out', label: t('nav.signOut') },
        ],
        onClick: async ({ key }) => {
          if (key === 'sign-out') {
            await signOut();
            navigate('/sign-in');
          }
        },
      }}
    >
      <Button icon={<UserOutlined />} {...(phone ? { 'aria-label': `${t('nav.account')}: ${user.name}` } : { title: t('nav.account') })}>{phone ? null : user.name}</Button>
    </Dropdown>
  ) : (
    <ButtonLink to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`} type="primary">{t('nav.signIn')}</ButtonLink>
  );

  return (
    <AntLayout className="app-layout">
      <UserLocaleSync />
      <a className="skip-link" href="#main">{t('nav.skip')}</a>
      <AntLayout.Header className="app-header">
        <Link to="/" className="app-brand">
          <span className="app-brand-mark" aria-hidden>KH</span>
          <span className="app-brand-name">KHCN Flow</span>
        </Link>
        {phone ? (
          <div className="app-header-end">
            {languageSwitch}
            {account}
            <Button icon={<MenuOutlined />} aria-label={t('nav.menu')} aria-expanded={drawer} onClick={() => setDrawer(true)} />
            <Drawer open={drawer} onClose={() => setDrawer(false)} title={t('nav.menu')} placement="right" width={280}>
              <nav aria-label={t('nav.sections')}>
                <Menu mode="vertical" selectedKeys={selected ? [selected] : []} items={items} />
              </nav>
            </Drawer>
          </div>
        ) : (
          <>
            <nav aria-label={t('nav.sections')} className="app-nav">
              <Menu mode="horizontal" theme="dark" selectedKeys={selected ? [selected] : []} items={items} disabledOverflow />
            </nav>
            <Space className="app-header-end" size="middle">
              {languageSwitch}
              {account}
            </Space>
          </>
        )}
      </AntLayout.Header>
      <AntLayout.Content id="main" tabIndex={-1} className="app-content">
        <Outlet />
      </AntLayout.Content>
      <AntLayout.Footer className="app-footer">
        <Typography.Text type="secondary">{t('footer.line')}</Typography.Text>
      </AntLayout.Footer>
    </AntLayout>
  );
}
