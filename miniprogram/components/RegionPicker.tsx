/**
 * Province -> city -> county, one level at a time from GET /regions (the tree stays on the
 * server, away from the 2 MB package). Tapping the path goes back up a level.
 */
import { useEffect, useState } from 'react';
import { ScrollView, Text, View } from '@tarojs/components';
import { listRegions, messageOf, type RegionItem } from '../services/api';
import './RegionPicker.scss';

export interface PickedRegion {
  code: string;
  /** Province, city and county names joined, for display. */
  label: string;
}

interface Props {
  value?: PickedRegion;
  onChange: (region: PickedRegion) => void;
  className?: string;
}

export default function RegionPicker({ value, onChange, className }: Props) {
  const [open, setOpen] = useState(false);
  const [path, setPath] = useState<RegionItem[]>([]);
  const [items, setItems] = useState<RegionItem[]>([]);
  const [error, setError] = useState('');

  const parent = path.at(-1)?.code;
  useEffect(() => {
    if (!open) return;
    let live = true;
    setError('');
    listRegions(parent).then(
      (list) => live && setItems(list),
      (err: unknown) => live && setError(messageOf(err)),
    );
    return () => {
      live = false;
    };
  }, [open, parent]);

  const pick = (item: RegionItem) => {
    if (item.level === 'county') {
      const names = [...path, item].map((r) => r.name).filter((n) => n !== '市辖区' && n !== '县');
      onChange({ code: item.code, label: names.join(' ') });
      setOpen(false);
      setPath([]);
      return;
    }
    setPath([...path, item]);
  };

  return (
    <View className={`region-picker ${className ?? ''}`}>
      <View className="region-value" onClick={() => setOpen(!open)}>
        <Text className={value ? '' : 'hint'}>{value ? value.label : '请选择省、市、区县'}</Text>
        <Text className="region-toggle">{open ? '收起' : '选择'}</Text>
      </View>
      {open && (
        <View className="region-panel">
          <View className="region-path">
            <Text className="region-crumb" onClick={() => setPath([])}>
              全国
            </Text>
            {path.map((r, i) => (
              <Text key={r.code} className="region-crumb" onClick={() => setPath(path.slice(0, i + 1))}>
                {' / '}
                {r.name}
              </Text>
            ))}
          </View>
          {error && <Text className="error-text">{error}</Text>}
          <ScrollView scrollY className="region-list">
            {items.map((item) => (
              <View key={item.code} className="region-item" data-code={item.code} onClick={() => pick(item)}>
                <Text>{item.name}</Text>
              </View>
            ))}
          </ScrollView>
        </View>
      )}
    </View>
  );
}
