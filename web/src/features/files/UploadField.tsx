/**
 * Attachments of a form: each file is uploaded as soon as it is chosen (streamed by the API
 * into the store, checked by content), shown with its progress, size or the API's reason
 * for refusing it. The form's value is the list of accepted uploads; it survives a failed
 * submit, so nothing needs choosing again.
 */
import { useRef, useState } from 'react';
import { Button, List, Progress, Space, Typography, Upload } from 'antd';
import { DeleteOutlined, PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { ApiError, uploadFiles, type UploadedFile } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { formatBytes } from '../../i18n/format';
import { problemText } from '../../components/ProblemAlert';

interface Pending {
  uid: string;
  name: string;
  progress: number;
  error?: string;
}

export function UploadField({ id, value = [], onChange, max = 20 }: { id?: string; value?: UploadedFile[]; onChange?: (v: UploadedFile[]) => void; max?: number }) {
  const { t, locale } = useI18n();
  const [pending, setPending] = useState<Pending[]>([]);
  // Files upload concurrently; each adds itself to the latest list (not the one of the render that started it).
  const current = useRef(value);
  current.current = value;

  const upload = async (file: File, uid: string) => {
    setPending((p) => [...p, { uid, name: file.name, progress: 0 }]);
    try {
      const [done] = await uploadFiles([file], (share) => setPending((p) => p.map((x) => (x.uid === uid ? { ...x, progress: share } : x))));
      setPending((p) => p.filter((x) => x.uid !== uid));
      current.current = [...current.current, done!];
      onChange?.(current.current);
    } catch (err) {
      const reason = err instanceof ApiError ? err.problem.errors?.[0]?.reason ?? problemText(err, t).detail ?? problemText(err, t).title : problemText(err, t).title;
      setPending((p) => p.map((x) => (x.uid === uid ? { ...x, error: reason } : x)));
    }
  };

  return (
    <div>
      <Upload
        multiple
        showUploadList={false}
        disabled={value.length >= max}
        beforeUpload={(file) => {
          void upload(file as File, file.uid);
          return false;
        }}
      >
        <Button id={id} icon={<UploadOutlined />}>{t('files.choose')}</Button>
      </Upload>
      <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0', fontSize: 13 }}>{t('files.hint')}</Typography.Paragraph>
      {value.length || pending.length ? (
        <List
          size="small"
          style={{ marginTop: 8 }}
          dataSource={[...value.map((f) => ({ kind: 'done' as const, f })), ...pending.map((p) => ({ kind: 'pending' as const, p }))]}
          renderItem={(item) =>
            item.kind === 'done' ? (
              <List.Item
                actions={[
                  <Button key="remove" type="text" size="small" icon={<DeleteOutlined />} aria-label={t('files.remove', { name: item.f.filename })} onClick={() => onChange?.(value.filter((x) => x.uploadId !== item.f.uploadId))} />,
                ]}
              >
                <Space><PaperClipOutlined aria-hidden />{item.f.filename}<Typography.Text type="secondary">{formatBytes(item.f.size, locale)}</Typography.Text></Space>
              </List.Item>
            ) : (
              <List.Item
                actions={item.p.error ? [<Button key="dismiss" type="text" size="small" icon={<DeleteOutlined />} aria-label={t('files.dismiss', { name: item.p.name })} onClick={() => setPending((p) => p.filter((x) => x.uid !== item.p.uid))} />] : []}
              >
                <div style={{ width: '100%' }}>
                  <Space><PaperClipOutlined aria-hidden />{item.p.name}</Space>
                  {item.p.error ? (
                    <div role="alert" className="ant-form-item-explain-error">{t('files.refused', { name: item.p.name, reason: item.p.error })}</div>
                  ) : (
                    <Progress percent={Math.round(item.p.progress * 100)} size="small" aria-label={t('files.uploading', { name: item.p.name })} />
                  )}
                </div>
              </List.Item>
            )
          }
        />
      ) : null}
    </div>
  );
}

export const uploadIds = (files: UploadedFile[] | undefined) => (files ?? []).map((f) => f.uploadId);
