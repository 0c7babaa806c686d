import { useEffect, useState } from 'react';
import { Form, Input, Modal, Select } from 'antd';
import { api, type Bureau, type CaseAction } from '../api';

export interface ActionFields {
  reasonCode?: string;
  reason?: string;
  toBureau?: string;
}

interface Props {
  action: CaseAction | undefined;
  /** The bureau handling the case now; it is not offered as a target. */
  currentBureau: string;
  onCancel: () => void;
  /** Resolves true when the modal may close. */
  onSubmit: (fields: ActionFields) => Promise<boolean>;
}

/**
 * Asks for what an action must carry, as the state machine's row says: a legal ground from its
 * list (不予受理、终止调解、移送、不予立案), the facts, the receiving bureau.
 */
export function ReasonModal({ action, currentBureau, onCancel, onSubmit }: Props) {
  const [form] = Form.useForm<ActionFields>();
  const [submitting, setSubmitting] = useState(false);
  const [bureaus, setBureaus] = useState<Bureau[]>([]);
  const needs = action?.needs ?? [];
  const needsBureau = needs.includes('toBureau');

  useEffect(() => {
    if (needsBureau) api.bureaus().then(setBureaus, () => setBureaus([]));
  }, [needsBureau]);

  async function submit() {
    // The form shows its own errors; a failed validation just keeps the modal open.
    const values = await form.validateFields().catch(() => undefined);
    if (!values) return;
    setSubmitting(true);
    try {
      if (await onSubmit({ ...values, reason: values.reason?.trim() })) onCancel();
    } finally {
      setSubmitting(false);
    }
  }

  const destructive = action?.action === 'reject' || action?.action === 'terminate' || action?.action === 'decline';

  return (
    <Modal
      open={action !== undefined}
      title={action ? `${action.label}：请填写办理信息` : undefined}
      okText={action ? `确认${action.label}` : undefined}
      okButtonProps={{ danger: destructive, id: 'confirm-action' }}
      confirmLoading={submitting}
      onOk={submit}
      onCancel={onCancel}
      destroyOnHidden
      width={640}
    >
      <Form form={form} layout="vertical" preserve={false}>
        {needs.includes('toBureau') && (
          <Form.Item name="toBureau" label="接收单位" rules={[{ required: true, message: '请选择接收单位' }]}>
            <Select
              id="toBureau"
              showSearch
              optionFilterProp="label"
              placeholder="选择移送或改派的市场监管部门"
              options={bureaus.filter((b) => b.code !== currentBureau).map((b) => ({ value: b.code, label: `${b.name}（${b.code}）` }))}
            />
          </Form.Item>
        )}
        {needs.includes('reasonCode') && (
          <Form.Item name="reasonCode" label="法定事由" rules={[{ required: true, message: '请选择法定事由' }]}>
            <Select
              id="reasonCode"
              placeholder="从法定事由中选择"
              popupMatchSelectWidth={false}
              options={action!.reasons.map((r) => ({ value: r.code, label: `${r.label}（${r.basis}）` }))}
              optionRender={(o) => <div style={{ whiteSpace: 'normal', maxWidth: 560 }}>{o.label}</div>}
            />
          </Form.Item>
        )}
        {needs.includes('reason') && (
          <Form.Item
            name="reason"
            label="事实与说明"
            rules={[
              { required: true, whitespace: true, message: '请填写原因' },
              { min: 2, message: '原因至少 2 个字' },
            ]}
          >
            <Input.TextArea id="reason" rows={4} maxLength={500} showCount placeholder="将告知投诉人，请写明事实与依据" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
