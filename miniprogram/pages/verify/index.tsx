import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button, Checkbox, Input } from '@nutui/nutui-react-taro';
import { ID_CONSENT_TEXT, ID_CONSENT_VERSION, LINK_CODE_TTL_MINUTES, VERIFY_PURPOSE, verifyBody, type VerifyReply } from '@shared/api/identity';
import { ApiError, messageOf } from '../../services/api';
import { loadProfile, verifyIdentity } from '../../services/identity';
import { validate, type FieldErrors } from '../../utils/validate';
import './index.scss';

interface Form {
  name: string;
  idNumber: string;
  consent: boolean;
}

const PLATFORM_NAMES = { wechat: '微信', alipay: '支付宝' } as const;

const check = (form: Form) => validate(verifyBody, { ...form, consentVersion: ID_CONSENT_VERSION });

export default function Verify() {
  const [form, setForm] = useState<Form>({ name: '', idNumber: '', consent: false });
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [result, setResult] = useState<VerifyReply | null>(null);

  // Someone already verified sees the result rather than an empty form.
  useEffect(() => {
    loadProfile().then(
      ({ profile }) => {
        if (profile.identity) setResult({ verified: true, identity: profile.identity, ...(profile.linkable ? { linkable: profile.linkable } : {}) });
      },
      () => undefined,
    );
  }, []);

  // Each field shows its error once it was left or a submit was tried, and follows the typing after that.
  const show = (next: Form, shown: Record<string, boolean>) => {
    const checked = check(next);
    const all = checked.ok ? {} : checked.errors;
    setErrors(Object.fromEntries(Object.entries(all).filter(([field]) => shown[field])));
  };

  const change = (field: 'name' | 'idNumber') => (value: string) => {
    const next = { ...form, [field]: value };
    setForm(next);
    show(next, touched);
  };

  const leave = (field: string) => () => {
    const shown = { ...touched, [field]: true };
    setTouched(shown);
    show(form, shown);
  };

  const toggleConsent = (consent: boolean) => {
    const next = { ...form, consent };
    setForm(next);
    show(next, touched);
  };

  const submit = async () => {
    if (submitting) return;
    const shown = { name: true, idNumber: true, consent: true, consentVersion: true };
    setTouched(shown);
    setFormError('');
    const checked = check(form);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    setSubmitting(true);
    try {
      setResult(await verifyIdentity(checked.data));
    } catch (err) {
      if (err instanceof ApiError && err.fields.length > 0) {
        setErrors(Object.fromEntries(err.fields.map((f) => [f.path, f.message])));
      }
      setFormError(messageOf(err));
    } finally {
      setSubmitting(false);
    }
  };

  if (result) {
    return (
      <View className="verify">
        <View className="card verify-done">
          <Text className="verify-done-title">实名认证已通过</Text>
          <View className="verify-row">
            <Text className="verify-label">姓名</Text>
            <Text className="verify-value verified-name">{result.identity.name}</Text>
          </View>
          <View className="verify-row">
            <Text className="verify-label">身份证号</Text>
            <Text className="verify-value verified-id">{result.identity.idNumber}</Text>
          </View>
        </View>

        {result.linkable && (
          <View className="card verify-link">
            <Text className="verify-link-text">
              您已用同一身份在{PLATFORM_NAMES[result.linkable.platform]}完成实名认证。如需两个账号查看彼此提交的投诉，请在“我的”页面关联：
              在一个账号生成关联码，{LINK_CODE_TTL_MINUTES} 分钟内在另一个账号输入。
            </Text>
            <Button className="btn-go-link" type="primary" block onClick={() => Taro.navigateTo({ url: '/pages/me/index' })}>
              去关联账号
            </Button>
          </View>
        )}
        {formError && <Text className="error-text form-error">{formError}</Text>}

        <View className="form-actions">
          <Button className="btn-back" block size="large" onClick={() => Taro.navigateBack().catch(() => Taro.redirectTo({ url: '/pages/me/index' }))}>
            返回
          </Button>
        </View>
      </View>
    );
  }

  return (
    <View className="verify">
      <Text className="hint form-intro">{VERIFY_PURPOSE}</Text>

      <View className="card">
        <View className="field field-name">
          <Text className="field-label">姓名</Text>
          <Input name="name" value={form.name} placeholder="与身份证一致" maxLength={30} onChange={change('name')} onBlur={leave('name')} />
          {errors.name && <Text className="error-text field-error">{errors.name}</Text>}
        </View>

        <View className="field field-id">
          <Text className="field-label">身份证号</Text>
          <Input
            name="idNumber"
            value={form.idNumber}
            placeholder="18 位居民身份证号"
            maxLength={18}
            type="idcard"
            onChange={change('idNumber')}
            onBlur={leave('idNumber')}
          />
          {errors.idNumber && <Text className="error-text field-error">{errors.idNumber}</Text>}
        </View>
      </View>

      <View className="card consent">
        <Text className="consent-title">身份证号处理规则（单独同意）</Text>
        <Text className="hint consent-text">{ID_CONSENT_TEXT}</Text>
        <Text className="link btn-privacy" onClick={() => Taro.navigateTo({ url: '/pages/privacy/index' })}>
          查看《隐私政策》：保存期限、撤回授权和注销账号
        </Text>
        <Checkbox className="consent-check" checked={form.consent} onChange={toggleConsent} label="我已阅读并同意" />
        {errors.consent && <Text className="error-text field-error">{errors.consent}</Text>}
      </View>

      {formError && <Text className="error-text form-error">{formError}</Text>}

      <View className="form-actions">
        <Button className="btn-verify" type="primary" block size="large" loading={submitting} onClick={submit}>
          {submitting ? '正在核验' : '提交认证'}
        </Button>
      </View>
    </View>
  );
}
