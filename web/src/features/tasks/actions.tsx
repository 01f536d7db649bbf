/**
 * The commands the caller may give on a task now (the API's allowedActions), each as a form in
 * a drawer: the fields its body needs, what it sets in motion, and a confirmation with the
 * grounds where it cannot be undone. The form sends exactly the command's body; the API's
 * refusals come back next to the fields.
 */
import { useState } from 'react';
import { Alert, App, Button, Drawer, Form, Grid, Input, Space, Tooltip, Typography } from 'antd';
import type { CommandName } from '../../api/types';
import { useTaskCommand, type TaskPageView } from '../../api/queries';
import { useI18n } from '../../i18n/i18n';
import { COMMANDS, label } from '../../i18n/labels';
import { ProblemAlert } from '../../components/ProblemAlert';
import { focusField, showFieldErrors } from '../../components/forms';
import { useIdempotencyKey } from '../../components/useIdempotencyKey';
import { UploadField } from '../files/UploadField';
import { useSession } from '../auth/session';
import type { ActionSpec, Values } from './action-kit';
import { RESEARCHER_ACTIONS } from './researcher-actions';
import { OFFICER_ACTIONS } from './officer-actions';

export const ACTIONS: { [K in CommandName]?: ActionSpec<K> } = { ...RESEARCHER_ACTIONS, ...OFFICER_ACTIONS };

/** The form of one command, in a drawer (full width on a phone). */
export function ActionDrawer<K extends CommandName>({ task, command, onClose }: { task: TaskPageView; command: K; onClose: () => void }) {
  const { t, locale } = useI18n();
  const { user } = useSession();
  const { modal, message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm<Values>();
  const mutation = useTaskCommand(task.taskId, command);
  const keyFor = useIdempotencyKey();
  const [error, setError] = useState<unknown>(null);
  const spec = ACTIONS[command] as ActionSpec<K> | undefined;
  if (!spec || !user) return null;
  const ctx = { task, user, t, locale };

  const send = async (values: Values) => {
    const body = spec.body(values, ctx);
    setError(null);
    try {
      await mutation.mutateAsync({ body, idempotencyKey: keyFor(body) });
      void message.success(t('action.done', { action: label(COMMANDS, command, locale) }));
      onClose();
    } catch (err) {
      setError(err);
      showFieldErrors(form, err);
    }
  };
  const onFinish = (values: Values) => {
    if (!spec.confirm) return send(values);
    modal.confirm({
      title: label(COMMANDS, command, locale),
      content: t(spec.confirm),
      okText: t('common.confirm'),
      cancelText: t('common.cancel'),
      okButtonProps: { danger: true },
      onOk: () => send(values),
    });
    return undefined;
  };

  return (
    <Drawer open onClose={onClose} title={label(COMMANDS, command, locale)} width={screens.md ? 560 : '100%'} destroyOnHidden>
      <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t(spec.consequence)} />
      <ProblemAlert error={error} onFieldClick={(f) => focusField(form, f)} />
      <Form<Values> form={form} layout="vertical" name={`action-${command}`} initialValues={{ attachments: [], ...(spec.initial?.(ctx) ?? {}) }} onFinish={onFinish} scrollToFirstError>
        {spec.fields?.({ ...ctx, form })}
        {spec.files ? (
          <Form.Item label={t('action.field.attachments')} name="attachments">
            <UploadField />
          </Form.Item>
        ) : null}
        <Form.Item label={t('action.field.note')} name="note">
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2_000} />
        </Form.Item>
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" htmlType="submit" loading={mutation.isPending} danger={Boolean(spec.confirm)}>{label(COMMANDS, command, locale)}</Button>
        </Space>
      </Form>
    </Drawer>
  );
}

/** The actions the API says the caller may take now: a form for each of the caller's own. */
export function ActionsPanel({ task }: { task: TaskPageView }) {
  const { t, locale } = useI18n();
  const [open, setOpen] = useState<CommandName | null>(null);
  const actions = task.allowedActions.map((a) => a.command as CommandName);
  if (!actions.length) return <Typography.Paragraph type="secondary" style={{ margin: 0 }}>{t('task.actions.none')}</Typography.Paragraph>;
  return (
    <>
      <Space wrap>
        {actions.map((c) =>
          ACTIONS[c] ? (
            <Button key={c} type={ACTIONS[c]?.confirm ? 'default' : 'primary'} danger={Boolean(ACTIONS[c]?.confirm)} onClick={() => setOpen(c)}>{label(COMMANDS, c, locale)}</Button>
          ) : (
            <Tooltip key={c} title={t('task.actions.departmentPage')}>
              <Button disabled>{label(COMMANDS, c, locale)}</Button>
            </Tooltip>
          ),
        )}
      </Space>
      {open ? <ActionDrawer task={task} command={open} onClose={() => setOpen(null)} /> : null}
    </>
  );
}
