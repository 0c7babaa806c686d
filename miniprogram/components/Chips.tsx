/** Tappable options as chips: one choice (value) or several (values). Works the same on every platform. */
import { Text, View } from '@tarojs/components';
import './Chips.scss';

interface Option {
  value: string;
  label: string;
}

type Props = { options: readonly Option[]; className?: string } & (
  | { value: string | undefined; onChange: (value: string) => void; values?: never }
  | { values: readonly string[]; onChange: (values: string[]) => void; value?: never }
);

export default function Chips(props: Props) {
  const selected = (v: string) => (props.values ? props.values.includes(v) : props.value === v);
  const toggle = (v: string) => {
    if (props.values) {
      const next = props.values.includes(v) ? props.values.filter((x) => x !== v) : [...props.values, v];
      (props.onChange as (values: string[]) => void)(next);
    } else {
      (props.onChange as (value: string) => void)(v);
    }
  };
  return (
    <View className={`chips ${props.className ?? ''}`}>
      {props.options.map((o) => (
        <View key={o.value} className={`chip ${selected(o.value) ? 'chip-on' : ''}`} data-value={o.value} onClick={() => toggle(o.value)}>
          <Text>{o.label}</Text>
        </View>
      ))}
    </View>
  );
}
