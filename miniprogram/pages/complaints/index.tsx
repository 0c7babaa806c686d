import { useCallback, useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button, Tag } from '@nutui/nutui-react-taro';
import { STATUS_LABELS, type ComplaintStatus } from '@shared/complaint/status';
import { listComplaints, messageOf, type ComplaintSummary } from '../../services/api';
import { formatDate } from '../../utils/date';
import './index.scss';

type List = { state: 'loading' } | { state: 'ready'; items: ComplaintSummary[] } | { state: 'failed'; message: string };

type TagType = 'default' | 'primary' | 'info' | 'success' | 'warning' | 'danger';

const STATUS_TAGS: Record<ComplaintStatus, TagType> = {
  submitted: 'warning',
  accepted: 'info',
  rejected: 'default',
  mediating: 'info',
  resolved: 'success',
  mediation_ended: 'default',
  closed: 'success',
  withdrawn: 'default',
  case_opened: 'info',
  not_opened: 'default',
};

export default function Complaints() {
  const [list, setList] = useState<List>({ state: 'loading' });

  const load = useCallback(
    () =>
      listComplaints().then(
        (items) => setList({ state: 'ready', items }),
        (err: unknown) => setList({ state: 'failed', message: messageOf(err) }),
      ),
    [],
  );

  // Coming back from another page shows fresh states.
  useDidShow(() => {
    load();
  });
  usePullDownRefresh(() => {
    load().finally(() => Taro.stopPullDownRefresh());
  });

  const newComplaint = () => Taro.navigateTo({ url: '/pages/complaint-new/index' });

  if (list.state === 'loading') return <Text className="hint list-note">正在加载…</Text>;

  if (list.state === 'failed') {
    return (
      <View className="list-note">
        <Text className="error-text list-error">{list.message}</Text>
        <Button className="btn-reload" size="small" onClick={() => load()}>
          重新加载
        </Button>
      </View>
    );
  }

  if (list.items.length === 0) {
    return (
      <View className="list-empty">
        <Text className="list-empty-title">您还没有提交过投诉</Text>
        <Text className="hint">遇到消费纠纷，可以在这里向市场监管部门投诉。</Text>
        <Button className="btn-new" type="primary" onClick={newComplaint}>
          我要投诉
        </Button>
      </View>
    );
  }

  return (
    <View className="complaint-list">
      {list.items.map((item) => (
        <View
          key={item.number}
          className="card complaint-item"
          onClick={() => Taro.navigateTo({ url: `/pages/case/index?number=${encodeURIComponent(item.number)}` })}
        >
          <View className="complaint-head">
            <Text className="complaint-number">{item.number}</Text>
            <Tag className="complaint-status" type={STATUS_TAGS[item.status] ?? 'default'}>
              {STATUS_LABELS[item.status] ?? item.statusLabel}
            </Tag>
          </View>
          <Text className="complaint-respondent">{item.respondentName}</Text>
          <View className="complaint-meta">
            <Text className="complaint-received">提交于 {formatDate(item.receivedAt)}</Text>
            {item.status === 'submitted' && item.deadlines.acceptBy && (
              <Text className="complaint-deadline">
                受理期限 {item.deadlines.acceptBy}
                {item.deadlines.provisional?.includes('acceptBy') ? '（暂定）' : ''}
              </Text>
            )}
          </View>
        </View>
      ))}
      <Text className="hint list-end">下拉可刷新</Text>
    </View>
  );
}
