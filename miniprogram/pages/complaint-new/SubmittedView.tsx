import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { CASE_TYPE_LABELS, STATUS_LABELS } from '@shared/complaint/status';
import type { CaseCreated } from '../../services/api';
import SubscribePrompt from '../../components/SubscribePrompt';

interface Props {
  created: CaseCreated;
  onStartAnother: () => void;
}

export default function SubmittedView({ created, onStartAnother }: Props) {
  const noun = CASE_TYPE_LABELS[created.type];
  return (
    <View className="submitted">
      <View className="submitted-head">
        <Text className="submitted-title">{noun}已提交</Text>
        <Text className="submitted-sub">当前状态：{STATUS_LABELS[created.status] ?? created.status}</Text>
      </View>

      <View className="card">
        <View className="result-row">
          <Text className="result-label">{noun}编号</Text>
          <Text className="result-number" userSelect>
            {created.number}
          </Text>
        </View>
        {created.deadlines.acceptBy && (
          <View className="result-row">
            <Text className="result-label">受理期限</Text>
            <Text className="result-deadline">
              {created.deadlines.acceptBy}
              {created.deadlines.provisional?.includes('acceptBy') ? '（暂定）' : ''}
            </Text>
          </View>
        )}
        {created.jurisdiction && (
          <View className="result-row">
            <Text className="result-label">承办部门</Text>
            <Text className="result-bureau">{created.jurisdiction.bureauName}</Text>
          </View>
        )}
        <Text className="hint">
          {created.deadlines.acceptBy ? '市场监管部门将在受理期限前决定是否受理。' : '市场监管部门将依法核查处理。'}请记下{noun}编号，以便查询。
        </Text>
      </View>

      <SubscribePrompt status={created.status} type={created.type} />

      <View className="form-actions">
        <Button className="btn-view-list" type="primary" block onClick={() => Taro.redirectTo({ url: '/pages/complaints/index' })}>
          查看我的投诉
        </Button>
        <Button className="btn-another" block onClick={onStartAnother}>
          再提交一件{noun}
        </Button>
      </View>
    </View>
  );
}
