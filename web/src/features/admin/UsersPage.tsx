/**
 * The Department's users (admin): who they are, their role and organisation, their language,
 * whether they may sign in; creating one, changing a role or an organisation, deactivating
 * (their sessions end at once) and setting a new password.
 */
import { useState } from 'react';
import { Alert, Button, Drawer, Empty, Form, Grid, Input, Select, Space, Switch, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useSearchParams } from 'react-router';
import { useCreateUser, usePatchUser, useUsers } from '../../api/queries';
import type { NewUserBody, Role, UserPatchBody, UserView } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { label, ROLES } from '../../i18n/labels';
import { DataTable } from '../../components/DataTable';
import { ProblemAlert } from '../../components/ProblemAlert';
import { focusField, showFieldErrors } from '../../components/forms';
import { useIdempotencyKey } from '../../components/useIdempotencyKey';
import { usePageTitle } from '../../components/usePageTitle';
import { RequireAuth, useSession } from '../auth/session';

type Editing = { mode: 'new' } | { mode: 'edit'; user: UserView };

function UserDrawer({ editing, onClose }: { editing: Editing; onClose: () => void }) {
  const { t, locale } = useI18n();
  const [form] = Form.useForm();
  const create = useCreateUser();
  const patch = usePatchUser(editing.mode === 'edit' ? editing.user.userId : '');
  const keyFor = useIdempotencyKey();
  const phone = !Grid.useBreakpoint().md;
  const error = editing.mode === 'new' ? create.error : patch.error;
  const roleOptions = (Object.keys(ROLES) as Role[]).map((r) => ({ value: r, label: label(ROLES, r, locale) }));

  const onFinish = async (v: Record<string, string | boolean | undefined>) => {
    const clean = (x: unknown) => (typeof x === 'string' && x.trim() ? x.trim() : undefined);
    try {
      if (editing.mode === 'new') {
        const body: NewUserBody = {
          email: String(v.email ?? '').trim(),
          name: String(v.name ?? ''),
          role: v.role as Role,
          orgId: String(v.orgId ?? ''),
          ...(clean(v.orgName) ? { orgName: clean(v.orgName)! } : {}),
          locale: v.locale === 'en' ? 'en' : 'vi',
          ...(clean(v.password) ? { password: String(v.password) } : {}),
        };
        await create.mutateAsync({ body, idempotencyKey: keyFor(body) });
      } else {
        const u = editing.user;
        const body: UserPatchBody = {
          ...(v.name !== u.name ? { name: String(v.name) } : {}),
          ...(v.role !== u.role ? { role: v.role as Role } : {}),
          ...(v.orgId !== u.orgId ? { orgId: String(v.orgId) } : {}),
          ...(clean(v.orgName) && v.orgName !== u.orgName ? { orgName: clean(v.orgName)! } : {}),
          ...(v.locale !== u.locale ? { locale: v.locale === 'en' ? 'en' : 'vi' } : {}),
          ...(v.active !== u.active ? { active: Boolean(v.active) } : {}),
          ...(clean(v.password) ? { password: String(v.password) } : {}),
        };
        if (Object.keys(body).length) await patch.mutateAsync(body);
      }
      onClose();
    } catch (err) {
      showFieldErrors(form, err);
    }
  };

  const initial = editing.mode === 'edit' ? { ...editing.user, password: '' } : { role: 'researcher', locale: 'vi' };
  return (
    <Drawer open onClose={onClose} title={editing.mode === 'new' ? t('users.new') : editing.user.name} width={phone ? '100%' : 520} destroyOnHidden>
      <ProblemAlert error={error} onFieldClick={(f) => focusField(form, f)} />
      <Form form={form} layout="vertical" name="user" initialValues={initial} onFinish={onFinish}>
        {editing.mode === 'new' ? (
          <Form.Item label={t('signIn.email')} name="email" rules={[{ required: true, message: t('signIn.emailRequired') }]}>
            <Input inputMode="email" autoComplete="off" />
          </Form.Item>
        ) : (
          <Typography.Paragraph type="secondary">{editing.user.email}</Typography.Paragraph>
        )}
        <Form.Item label={t('users.name')} name="name" rules={[{ required: true, whitespace: true, message: t('form.required', { field: t('users.name') }) }]}><Input /></Form.Item>
        <Form.Item label={t('users.role')} name="role" rules={[{ required: true }]}><Select options={roleOptions} /></Form.Item>
        <Form.Item label={t('users.orgId')} name="orgId" rules={[{ required: true, whitespace: true, message: t('form.required', { field: t('users.orgId') }) }]} extra={t('users.orgIdHint')}><Input /></Form.Item>
        <Form.Item label={t('users.orgName')} name="orgName"><Input /></Form.Item>
        <Form.Item label={t('nav.language')} name="locale"><Select options={[{ value: 'vi', label: 'Tiếng Việt' }, { value: 'en', label: 'English' }]} /></Form.Item>
        {editing.mode === 'edit' ? (
          <Form.Item label={t('users.active')} name="active" valuePropName="checked" extra={t('users.activeHint')}><Switch /></Form.Item>
        ) : null}
        <Form.Item label={editing.mode === 'new' ? t('users.password') : t('users.newPassword')} name="password" extra={t('users.passwordHint')}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" htmlType="submit" loading={create.isPending || patch.isPending}>{t('users.save')}</Button>
        </Space>
      </Form>
    </Drawer>
  );
}

function Users() {
  const { t, locale } = useI18n();
  usePageTitle(t('users.title'));
  const { user: me } = useSession();
  const [params, setParams] = useSearchParams();
  const role = params.get('role') ?? undefined;
  const active = params.get('active') ?? undefined;
  const users = useUsers({ ...(role ? { role: role as Role } : {}), ...(active ? { active: active as 'true' | 'false' } : {}) });
  const rows = users.data?.pages.flatMap((p) => p.items) ?? [];
  const [editing, setEditing] = useState<Editing | null>(null);
  const set = (k: string, v?: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between', flexWrap: 'wrap' }}>
        <Typography.Title level={1} className="page-title">{t('users.title')}</Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ mode: 'new' })}>{t('users.new')}</Button>
      </Space>
      <Form layout="vertical" role="search" aria-label={t('users.filters')}>
        <Space wrap align="end">
          <Form.Item label={t('users.role')} htmlFor="users-role" style={{ marginBottom: 16 }}>
            <Select id="users-role" allowClear value={role} onChange={(v?: string) => set('role', v)} style={{ width: 240 }} options={(Object.keys(ROLES) as Role[]).map((r) => ({ value: r, label: label(ROLES, r, locale) }))} />
          </Form.Item>
          <Form.Item label={t('users.active')} htmlFor="users-active" style={{ marginBottom: 16 }}>
            <Select id="users-active" allowClear value={active} onChange={(v?: string) => set('active', v)} style={{ width: 180 }} options={[{ value: 'true', label: t('users.isActive') }, { value: 'false', label: t('users.isInactive') }]} />
          </Form.Item>
        </Space>
      </Form>
      <ProblemAlert error={users.error} />
      <DataTable<UserView>
        label={t('users.title')}
        rowKey="userId"
        loading={users.isPending}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: <Empty description={t('users.empty')} /> }}
        columns={[
          { title: t('users.name'), key: 'name', render: (_, u) => <><div>{u.name}</div><div className="muted" style={{ fontSize: 13 }}>{u.email}</div></> },
          { title: t('users.role'), key: 'role', render: (_, u) => label(ROLES, u.role, locale) },
          { title: t('users.orgName'), key: 'org', responsive: ['md'], render: (_, u) => u.orgName ?? u.orgId },
          { title: t('users.active'), key: 'active', render: (_, u) => (u.active ? <Tag color="green">{t('users.isActive')}</Tag> : <Tag color="red">{t('users.isInactive')}</Tag>) },
          {
            title: '',
            key: 'edit',
            render: (_, u) => <Button size="small" onClick={() => setEditing({ mode: 'edit', user: u })} aria-label={t('users.editNamed', { name: u.name })}>{t('users.edit')}</Button>,
          },
        ]}
      />
      {users.hasNextPage ? (
        <div style={{ textAlign: 'center', marginTop: 16 }}>
          <Button onClick={() => void users.fetchNextPage()} loading={users.isFetchingNextPage}>{t('common.loadMore')}</Button>
        </div>
      ) : null}
      {me ? <Alert type="info" showIcon style={{ marginTop: 16 }} title={t('users.selfNote')} /> : null}
      {editing ? <UserDrawer editing={editing} onClose={() => setEditing(null)} /> : null}
    </>
  );
}

export default function UsersPage() {
  return (
    <RequireAuth roles={['admin']}>
      <Users />
    </RequireAuth>
  );
}
