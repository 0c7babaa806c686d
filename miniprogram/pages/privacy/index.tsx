import { Text, View } from '@tarojs/components';
import { PRIVACY_POLICY, PRIVACY_POLICY_VERSION } from '@shared/privacy/policy';
import './index.scss';

export default function Privacy() {
  return (
    <View className="privacy">
      {PRIVACY_POLICY.map((section) => (
        <View className="card privacy-section" key={section.title}>
          <Text className="privacy-title">{section.title}</Text>
          {section.paragraphs.map((p) => (
            <Text className="privacy-text" key={p}>
              {p}
            </Text>
          ))}
        </View>
      ))}
      <Text className="hint privacy-version">版本 {PRIVACY_POLICY_VERSION}</Text>
    </View>
  );
}
