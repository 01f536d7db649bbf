/**
 * What went wrong, as the API said it (RFC 9457): the title, the detail and the rule it
 * cites, plus a list of the fields at fault (GOV.UK's error summary), each linking to its field.
 */
import { Alert } from 'antd';
import { ApiError } from '../api/client';
import { useI18n } from '../i18n/i18n';

export function problemText(err: unknown, t: ReturnType<typeof useI18n>['t']): { title: string; detail?: string } {
  if (err instanceof ApiError) {
    if (err.status === 0) return { title: t('error.network') };
    if (err.status === 401) return { title: t('error.signedOut') };
    if (err.status === 404) return { title: t('error.notFound'), detail: t('error.notFoundHint') };
    if (err.status === 429) return { title: t('error.tooMany') };
    if (err.status >= 500) return { title: t('error.server') };
    return { title: err.problem.title, ...(err.problem.detail ? { detail: err.problem.detail } : {}) };
  }
  return { title: t('error.unexpected') };
}

export function ProblemAlert({ error, fieldLabels = {}, onFieldClick }: { error: unknown; fieldLabels?: Record<string, string>; onFieldClick?: (field: string) => void }) {
  const { t } = useI18n();
  if (!error) return null;
  const { title, detail } = problemText(error, t);
  const fields = error instanceof ApiError ? error.fieldErrors : [];
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      style={{ marginBottom: 16 }}
      title={title}
      description={
        fields.length ? (
          <ul style={{ margin: 0, paddingInlineStart: 20 }}>
            {fields.map((f) => (
              <li key={f.field}>
                {onFieldClick ? (
                  <a href={`#field-${f.field}`} onClick={(e) => { e.preventDefault(); onFieldClick(f.field); }}>{fieldLabels[f.field] ?? fieldLabels[f.field.replace(/\.\d+$/, '')] ?? f.field}</a>
                ) : (
                  <strong>{fieldLabels[f.field] ?? f.field}</strong>
                )}
                : {f.reason}
              </li>
            ))}
          </ul>
        ) : (
          detail
        )
      }
    />
  );
}
