/**
 * The dashboard's charts (Recharts): pictures of figures the page also gives as text links,
 * so they are hidden from screen readers (the lists beside them say the same), and clicking a
 * bar opens the list behind it, as its figure's link does.
 */
import { Bar, BarChart, CartesianGrid, Cell, Legend, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useNavigate } from 'react-router';
import { Grid } from 'antd';
import type { BudgetReport, TimelineReport } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { daysFromToday, formatDate, formatVnd } from '../../i18n/format';
import { stageTone } from '../../i18n/labels';
import type { Stage } from '../../api/types';

const TONE = { default: '#8c8c8c', processing: '#0b5cad', success: '#2f7d32', warning: '#b8860b', error: '#c0262d' } as const;

export interface BarDatum {
  key: string;
  name: string;
  count: number;
  to: string;
  colour?: string;
}

/** Horizontal bars of counts (stages, levels, forms), each a link to the tasks it counts. */
export function CountBars({ data, height }: { data: BarDatum[]; height?: number }) {
  const navigate = useNavigate();
  const phone = !Grid.useBreakpoint().md;
  const h = height ?? Math.max(120, data.length * 30 + 40);
  return (
    <div aria-hidden style={{ width: '100%', height: h }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} layout="vertical" margin={{ left: 8, right: 24, top: 4, bottom: 4 }} accessibilityLayer={false}>
          <CartesianGrid horizontal={false} strokeDasharray="3 3" />
          <XAxis type="number" allowDecimals={false} />
          <YAxis type="category" dataKey="name" width={phone ? 110 : 170} tick={{ fontSize: 12 }} interval={0} />
          <Tooltip cursor={{ fill: 'rgba(11,92,173,0.08)' }} />
          <Bar dataKey="count" isAnimationActive={false} onClick={(d) => navigate((d as unknown as { payload: BarDatum }).payload.to)} style={{ cursor: 'pointer' }}>
            {data.map((d) => (
              <Cell key={d.key} fill={d.colour ?? '#0b5cad'} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

export const stageColour = (stage: string) => TONE[stageTone(stage as Stage)];

/** Budget by year: approved (state, other sources), disbursed, refunded; integer VND in millions on the axis. */
export function BudgetBars({ budget }: { budget: BudgetReport }) {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const data = budget.years.map((y) => ({ ...y, name: String(y.year) }));
  const millions = (v: number) => new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-US', { maximumFractionDigits: 0 }).format(v / 1_000_000);
  return (
    <div aria-hidden style={{ width: '100%', height: 260 }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ left: 8, right: 8, top: 8, bottom: 4 }} accessibilityLayer={false} onClick={() => navigate('/dashboard/budget')}>
          <CartesianGrid vertical={false} strokeDasharray="3 3" />
          <XAxis dataKey="name" />
          <YAxis tickFormatter={millions} width={70} label={{ value: t('dash.budget.millions'), angle: -90, position: 'insideLeft', fontSize: 12 }} />
          <Tooltip formatter={(v) => formatVnd(Number(v), locale)} />
          <Legend />
          <Bar dataKey="approvedState" name={t('dash.budget.approvedState')} fill="#0b5cad" isAnimationActive={false} />
          <Bar dataKey="approvedOther" name={t('dash.budget.approvedOther')} fill="#7aa7d9" isAnimationActive={false} />
          <Bar dataKey="disbursed" name={t('dash.budget.disbursed')} fill="#2f7d32" isAnimationActive={false} />
          <Bar dataKey="refunded" name={t('dash.budget.refunded')} fill="#c0262d" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/**
 * Tasks against their contract periods in the window (a Gantt chart): each bar from the
 * contract's start (or the window's) to its end, coloured by stage; today marked.
 */
export function ContractTimeline({ timeline, max = 15 }: { timeline: TimelineReport; max?: number }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const phone = !Grid.useBreakpoint().md;
  const day = (d: string) => Date.parse(`${d}T00:00:00Z`) / 86_400_000;
  const from = day(timeline.from);
  const to = day(timeline.to);
  const data = timeline.items.slice(0, max).map((x) => {
    const start = Math.max(from, x.startOn ? day(x.startOn) : from);
    const end = Math.min(to, day(x.endOn));
    return { taskId: x.taskId, name: x.code, offset: start - from, span: Math.max(1, end - start), stage: x.stage, endOn: x.endOn, deadlines: x.deadlines.length, title: x.title };
  });
  const todayAt = -daysFromToday(timeline.from);
  const dateAt = (n: number) => formatDate(new Date((from + n) * 86_400_000).toISOString().slice(0, 10));
  return (
    <div aria-hidden style={{ width: '100%', height: Math.max(140, data.length * 28 + 60) }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} layout="vertical" margin={{ left: 8, right: 24, top: 4, bottom: 4 }} barCategoryGap={6} accessibilityLayer={false}>
          <CartesianGrid horizontal={false} strokeDasharray="3 3" />
          <XAxis type="number" domain={[0, to - from]} tickFormatter={dateAt} tick={{ fontSize: 11 }} />
          <YAxis type="category" dataKey="name" width={phone ? 96 : 150} tick={{ fontSize: phone ? 9 : 11 }} interval={0} />
          <Tooltip
            formatter={(_v, n, item) => (n === 'span' ? [`${t('dash.col.contractEnd')}: ${formatDate((item.payload as { endOn: string }).endOn)}`, (item.payload as { title: string }).title] : null)}
            labelFormatter={(l) => String(l)}
          />
          <ReferenceLine x={todayAt} stroke="#c0262d" strokeDasharray="4 2" label={{ value: t('due.today'), fontSize: 11, fill: '#c0262d', position: 'top' }} />
          <Bar dataKey="offset" stackId="p" fill="transparent" isAnimationActive={false} />
          <Bar dataKey="span" stackId="p" isAnimationActive={false} onClick={(d) => navigate(`/tasks/${encodeURIComponent((d as unknown as { payload: { taskId: string } }).payload.taskId)}`)} style={{ cursor: 'pointer' }}>
            {data.map((d) => (
              <Cell key={d.taskId} fill={stageColour(d.stage)} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
