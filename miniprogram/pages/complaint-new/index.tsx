import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { Button, Input, TextArea } from '@nutui/nutui-react-taro';
import { complaintCreateBody, type ComplaintCreate } from '@shared/api/complaints';
import { ApiError, createComplaint, messageOf, type ComplaintCreated } from '../../services/api';
import { newIdempotencyKey } from '../../utils/idempotency';
import { validate, type FieldErrors } from '../../utils/validate';
import SubmittedView from './SubmittedView';
import './index.scss';

const EMPTY_FORM: ComplaintCreate = { respondentName: '', description: '' };
const DESCRIPTION_MAX = 2000;

export default function ComplaintNew() {
  const [form, setForm] = useState<ComplaintCreate>(EMPTY_FORM);
  // One key per filled-in form: a resubmission after a lost reply cannot file a second complaint.
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  const [attempted, setAttempted] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [created, setCreated] = useState<ComplaintCreated | null>(null);

  const change = (field: keyof ComplaintCreate) => (value: string) => {
    const next = { ...form, [field]: value };
    setForm(next);
    // Errors follow the typing only once the user has tried to submit.
    if (attempted) {
      const checked = validate(complaintCreateBody, next);
      setErrors(checked.ok ? {} : checked.errors);
    }
  };

  const submit = async () => {
    if (submitting) return;
    setAttempted(true);
    setFormError('');
    const checked = validate(complaintCreateBody, form);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    setSubmitting(true);
    try {
      setCreated(await createComplaint(checked.data, idempotencyKey));
    } catch (err) {
      if (err instanceof ApiError && err.fields.length > 0) {
        setErrors(Object.fromEntries(err.fields.map((f) => [f.path, f.message])));
      }
      setFormError(messageOf(err));
    } finally {
      setSubmitting(false);
    }
  };

  const startAnother = () => {
    setForm(EMPTY_FORM);
    setIdempotencyKey(newIdempotencyKey());
    setAttempted(false);
    setErrors({});
    setFormError('');
    setCreated(null);
  };

  if (created) return <SubmittedView created={created} onStartAnother={startAnother} />;

  const descriptionLength = form.description.trim().length;

  return (
    <View className="complaint-form">
      <Text className="hint form-intro">请如实填写。市场监管部门将依法处理您与经营者之间的消费纠纷。</Text>

      <View className="card">
        <View className="field field-respondent">
          <Text className="field-label">被投诉方名称</Text>
          <Input
            name="respondentName"
            value={form.respondentName}
            placeholder="商家、企业或网店的名称"
            maxLength={100}
            onChange={change('respondentName')}
          />
          {errors.respondentName && <Text className="error-text field-error">{errors.respondentName}</Text>}
        </View>

        <View className="field field-description">
          <Text className="field-label">问题描述</Text>
          <TextArea
            value={form.description}
            placeholder="请写明购买时间、商品或服务、遇到的问题和您的诉求（至少 20 字）"
            maxLength={DESCRIPTION_MAX}
            onChange={change('description')}
          />
          <View className="field-footer">
            {errors.description ? (
              <Text className="error-text field-error">{errors.description}</Text>
            ) : (
              <Text />
            )}
            <Text className="description-count">
              {descriptionLength}/{DESCRIPTION_MAX}
            </Text>
          </View>
        </View>
      </View>

      {formError && <Text className="error-text form-error">{formError}</Text>}

      <View className="form-actions">
        <Button className="btn-submit" type="primary" block size="large" loading={submitting} onClick={submit}>
          {submitting ? '正在提交' : '提交投诉'}
        </Button>
      </View>
    </View>
  );
}
