/** Where the task is on its way (domain.md §2), in phases; a task stopped on a side path shows where it stopped. */
import { Steps, Grid } from 'antd';
import type { Stage } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { PHASES, stageTone } from '../../i18n/labels';

export function StageStepper({ stage, closed }: { stage: Stage; closed: boolean }) {
  const { locale } = useI18n();
  const screens = Grid.useBreakpoint();
  const current = Math.max(0, PHASES.findIndex((p) => p.stages.includes(stage)));
  const tone = stageTone(stage);
  const done = closed && tone === 'success';
  return (
    <Steps
      size="small"
      orientation={screens.lg ? 'horizontal' : 'vertical'}
      titlePlacement={screens.lg ? 'vertical' : 'horizontal'}
      current={current}
      status={tone === 'error' ? 'error' : done ? 'finish' : 'process'}
      items={PHASES.map((p) => ({ title: p.label[locale] }))}
      style={{ marginBottom: 24 }}
    />
  );
}
