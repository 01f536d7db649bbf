/**
 * The ballot of each council kind (domain.md §3): identification (recommend or not, C-ID),
 * selection (a 100-point score sheet per dossier with a live total and the zero-score
 * warning, C-SEL-2), acceptance (a rating per approved product for quantity, volume and
 * quality, and the report, C-ACC-2). A vote answers with its receipt, never the ballot.
 */
import { DataTable } from '../../components/DataTable';
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, InputNumber, Radio, Result, Space, Table, Typography } from 'antd';
import type { Ballot, VoteReceipt } from '../../api/types';
import { useCouncilCommand, type CouncilPageView } from '../../api/queries';
import { useI18n } from '../../i18n/i18n';
import { CRITERIA, RATINGS, label } from '../../i18n/labels';
import { formatDateTime } from '../../i18n/format';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useIdempotencyKey } from '../../components/useIdempotencyKey';

/** Receipts are kept in the browser (the API never returns a secret ballot, nor per-item status for the member). */
const receiptKey = (councilId: string, memberId: string, item: string) => `khcn-flow.receipt:${councilId}:${memberId}:${item}`;
export function storedReceipt(councilId: string, memberId: string, item: string): VoteReceipt | null {
  try {
    const raw = window.localStorage.getItem(receiptKey(councilId, memberId, item));
    return raw ? (JSON.parse(raw) as VoteReceipt) : null;
  } catch {
    return null;
  }
}
const storeReceipt = (r: VoteReceipt) => {
  try {
    window.localStorage.setItem(receiptKey(r.councilId, r.memberId, r.item), JSON.stringify(r));
  } catch {
    /* storage unavailable: the receipt is shown once */
  }
};

export function ReceiptView({ receipt, secret }: { receipt: VoteReceipt; secret: boolean }) {
  const { t } = useI18n();
  return (
    <Result
      status="success"
      title={t('ballot.recorded')}
      subTitle={
        <>
          <span data-testid="vote-receipt">{t('ballot.receipt', { at: formatDateTime(receipt.recordedAt) })}</span>
          <br />
          {secret ? t('ballot.secretNote') : t('ballot.openNote')}
        </>
      }
    />
  );
}

/**
 * Casting a ballot: the member's own (online), or, with `paperMember`, the administrative secretary
 * entering that member's paper ballot (issue 13: the same checks and the same tally).
 */
function useVote(council: CouncilPageView, paperMember?: string) {
  const vote = useCouncilCommand(council.councilId, 'castVote');
  const paper = useCouncilCommand(council.councilId, 'enterPaperBallots');
  const keyFor = useIdempotencyKey();
  const cast = async (ballot: Ballot): Promise<VoteReceipt | null> => {
    try {
      if (paperMember) {
        const body = { ballots: [{ memberId: paperMember, ballot }] };
        await paper.mutateAsync({ body, idempotencyKey: keyFor(body) });
        return { councilId: council.councilId, memberId: paperMember, item: ballot.kind === 'C-SEL' ? ballot.dossierId : 'item', recordedAt: new Date().toISOString(), repeated: false };
      }
      const body = { ballot };
      const r = (await vote.mutateAsync({ body, idempotencyKey: keyFor(body) })) as VoteReceipt;
      storeReceipt(r);
      return r;
    } catch {
      return null;
    }
  };
  return paperMember ? { cast, error: paper.error, pending: paper.isPending } : { cast, error: vote.error, pending: vote.isPending };
}

export function IdentificationBallot({ council, onVoted, paperMember }: { council: CouncilPageView; onVoted: (r: VoteReceipt) => void; paperMember?: string }) {
  const { t } = useI18n();
  const { cast, error, pending } = useVote(council, paperMember);
  const onFinish = async (v: { yes: 'yes' | 'no'; comment?: string }) => {
    const r = await cast({ kind: 'C-ID', yes: v.yes === 'yes', ...(v.comment?.trim() ? { comment: v.comment } : {}) });
    if (r) onVoted(r);
  };
  return (
    <Form layout="vertical" name="ballot-c-id" onFinish={onFinish}>
      <ProblemAlert error={error} />
      <Typography.Paragraph>{t('ballot.cid.criteria')}</Typography.Paragraph>
      <ul>
        {(['urgency', 'novelty', 'nonDuplication', 'feasibility', 'applicability'] as const).map((k) => <li key={k}>{t(`ballot.cid.${k}`)}</li>)}
      </ul>
      <Form.Item label={t(paperMember ? 'ballot.cid.questionPaper' : 'ballot.cid.question')} name="yes" rules={[{ required: true, message: t('ballot.cid.required') }]}>
        <Radio.Group>
          <Space direction="vertical">
            <Radio value="yes">{t('ballot.cid.yes')}</Radio>
            <Radio value="no">{t('ballot.cid.no')}</Radio>
          </Space>
        </Radio.Group>
      </Form.Item>
      <Form.Item label={t('ballot.comment')} name="comment">
        <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} maxLength={5_000} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={pending}>{t('ballot.submit')}</Button>
    </Form>
  );
}

/** One dossier's score sheet: criteria with their maximum (from the council's formation), the total as typed. */
function ScoreSheet({ council, dossierId, onVoted, paperMember }: { council: CouncilPageView; dossierId: string; onVoted: (r: VoteReceipt) => void; paperMember?: string }) {
  const { t, locale } = useI18n();
  const [form] = Form.useForm<{ scores: Record<string, number | null>; comment?: string }>();
  const { cast, error, pending } = useVote(council, paperMember);
  const criteria = council.criteria ?? [];
  const scores = (Form.useWatch('scores', form) ?? {}) as Record<string, number | null | undefined>;
  const total = criteria.reduce((s, c) => s + (scores[c.id] ?? 0), 0);
  const max = criteria.reduce((s, c) => s + c.max, 0);
  const zeros = criteria.filter((c) => scores[c.id] === 0);
  const onFinish = async (v: { scores: Record<string, number | null>; comment?: string }) => {
    const r = await cast({ kind: 'C-SEL', dossierId, scores: Object.fromEntries(criteria.map((c) => [c.id, v.scores[c.id] ?? 0])), ...(v.comment?.trim() ? { comment: v.comment } : {}) });
    if (r) onVoted(r);
  };
  return (
    <Form form={form} layout="vertical" name={`ballot-c-sel-${dossierId}`} onFinish={onFinish}>
      <ProblemAlert error={error} />
      <DataTable
        label={t('ballot.csel.dossier', { dossier: dossierId })}
        size="small"
        pagination={false}
        rowKey="id"
        dataSource={criteria}
        columns={[
          { title: t('ballot.csel.criterion'), key: 'name', render: (_, c) => <label htmlFor={`score-${dossierId}-${c.id}`}>{label(CRITERIA, c.id, locale)}</label> },
          { title: t('ballot.csel.max'), key: 'max', width: 90, align: 'center', render: (_, c) => c.max },
          {
            title: t('ballot.csel.score'),
            key: 'score',
            width: 140,
            render: (_, c) => (
              <Form.Item name={['scores', c.id]} style={{ margin: 0 }} rules={[{ required: true, message: t('ballot.csel.required') }]}>
                <InputNumber id={`score-${dossierId}-${c.id}`} min={0} max={c.max} step={0.5} inputMode="decimal" decimalSeparator={locale === 'vi' ? ',' : '.'} style={{ width: '100%' }} />
              </Form.Item>
            ),
          },
        ]}
        summary={() => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0}><strong>{t('ballot.csel.total')}</strong></Table.Summary.Cell>
            <Table.Summary.Cell index={1} align="center">{max}</Table.Summary.Cell>
            <Table.Summary.Cell index={2}><span className="score-total" aria-live="polite" data-testid={`total-${dossierId}`}>{String(total).replace('.', locale === 'vi' ? ',' : '.')}</span></Table.Summary.Cell>
          </Table.Summary.Row>
        )}
      />
      {zeros.length ? <Alert type="warning" showIcon role="status" style={{ marginTop: 12 }} title={t('ballot.csel.zeroWarning', { criteria: zeros.map((c) => label(CRITERIA, c.id, locale)).join(', ') })} /> : null}
      <Form.Item label={t('ballot.comment')} name="comment" style={{ marginTop: 12 }}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={5_000} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={pending}>{t('ballot.csel.submit', { dossier: dossierId })}</Button>
    </Form>
  );
}

export function SelectionBallot({ council, memberId, paper = false }: { council: CouncilPageView; memberId: string; paper?: boolean }) {
  const { t } = useI18n();
  const dossiers = council.dossiers ?? [];
  const [receipts, setReceipts] = useState<Record<string, VoteReceipt | null>>(() => Object.fromEntries(dossiers.map((d) => [d, paper ? null : storedReceipt(council.councilId, memberId, d)])));
  const itemLabel = (id: string) => council.dossier?.items.find((i) => i.itemId === id);
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Typography.Paragraph>{t('ballot.csel.lead')}</Typography.Paragraph>
      {dossiers.map((d) => (
        <Card key={d} size="small" title={<h3 className="card-heading">{t('ballot.csel.dossier', { dossier: d })}{itemLabel(d)?.host ? ` · ${itemLabel(d)!.host!.orgName}` : ''}</h3>}>
          {receipts[d] ? <ReceiptView receipt={receipts[d]!} secret={council.ballot === 'secret'} /> : <ScoreSheet council={council} dossierId={d} {...(paper ? { paperMember: memberId } : {})} onVoted={(r) => setReceipts((x) => ({ ...x, [d]: r }))} />}
        </Card>
      ))}
    </Space>
  );
}

const RATING_VALUES = ['EXCELLENT', 'PASS', 'FAIL'] as const;

export function AcceptanceBallot({ council, onVoted, paperMember }: { council: CouncilPageView; onVoted: (r: VoteReceipt) => void; paperMember?: string }) {
  const { t, locale } = useI18n();
  const { cast, error, pending } = useVote(council, paperMember);
  const products = council.dossier?.products?.length ? council.dossier.products : [{ productId: 'P1', name: t('ballot.cacc.product', { n: 1 }) }];
  const ratingGroup = (id: string, aria: string) => (
    <Radio.Group aria-label={aria} id={id}>
      {RATING_VALUES.map((r) => <Radio key={r} value={r}>{label(RATINGS, r, locale)}</Radio>)}
    </Radio.Group>
  );
  const onFinish = async (v: { products: Record<string, { quantity: 'EXCELLENT' | 'PASS' | 'FAIL'; volume: 'EXCELLENT' | 'PASS' | 'FAIL'; quality: 'EXCELLENT' | 'PASS' | 'FAIL' }>; report: 'EXCELLENT' | 'PASS' | 'FAIL'; comment?: string }) => {
    const r = await cast({
      kind: 'C-ACC',
      products: products.map((p) => ({ productId: p.productId, ...v.products[p.productId]! })),
      report: v.report,
      ...(v.comment?.trim() ? { comment: v.comment } : {}),
    });
    if (r) onVoted(r);
  };
  const required = [{ required: true, message: t('ballot.cacc.required') }];
  return (
    <Form layout="vertical" name="ballot-c-acc" onFinish={onFinish}>
      <ProblemAlert error={error} />
      <Typography.Paragraph>{t('ballot.cacc.lead')}</Typography.Paragraph>
      {products.map((p) => (
        <Card key={p.productId} size="small" style={{ marginBottom: 12 }} title={<h3 className="card-heading">{p.productId}: {p.name}</h3>}>
          {(['quantity', 'volume', 'quality'] as const).map((k) => (
            <Form.Item key={k} label={t(`ballot.cacc.${k}`)} name={['products', p.productId, k]} rules={required}>
              {ratingGroup(`rating-${p.productId}-${k}`, `${p.productId} ${t(`ballot.cacc.${k}`)}`)}
            </Form.Item>
          ))}
        </Card>
      ))}
      <Form.Item label={t('ballot.cacc.report')} name="report" rules={required}>
        {ratingGroup('rating-report', t('ballot.cacc.report'))}
      </Form.Item>
      <Form.Item label={t('ballot.comment')} name="comment">
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={5_000} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={pending}>{t('ballot.submit')}</Button>
    </Form>
  );
}
