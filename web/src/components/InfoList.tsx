import type { ComponentProps } from 'react';
import { Descriptions, Grid } from 'antd';

/**
 * Label and value rows (Ant Design's Descriptions): side by side on a wide screen, the label
 * above its value on a phone, where a label column would leave the value a sliver.
 */
export function InfoList({ labelWidth = 220, ...props }: ComponentProps<typeof Descriptions> & { labelWidth?: number }) {
  const phone = !Grid.useBreakpoint().md;
  return <Descriptions column={1} bordered size="small" layout={phone ? 'vertical' : 'horizontal'} styles={phone ? {} : { label: { width: labelWidth } }} {...props} />;
}
InfoList.Item = Descriptions.Item;
