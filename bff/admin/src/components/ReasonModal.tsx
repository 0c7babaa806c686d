import { useState } from 'react';
import { Form, Input, Modal } from 'antd';
import type { CaseAction } from '../api';

interface Props {
  action: CaseAction | undefined;
  onCancel: () => void;
  /** Resolves true when the modal may close. */
  onSubmit: (reason: string) => Promise<boolean>;
}

/** Asks for the reason an action such as 不予受理 or 终止调解 must carry. */
export function ReasonModal({ action, onCancel, onSubmit }: Props) {
  const [form] = Form.useForm<{ reason: string }>();
  const [submitting, setSubmitting] = useState(false);

  async function submit() {
    // The form shows its own errors; a failed validation just keeps the modal open.
    const values = await form.validateFields().catch(() => undefined);
    if (!values) return;
    setSubmitting(true);
    try {
      if (await onSubmit(values.reason.trim())) onCancel();
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <Modal
      open={action !== undefined}
      title={action ? `${action.label}：请填写原因` : undefined}
      okText={action ? `确认${action.label}` : undefined}
      okButtonProps={{ danger: true }}
      confirmLoading={submitting}
      onOk={submit}
      onCancel={onCancel}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item
          name="reason"
          label="原因"
          rules={[
            { required: true, whitespace: true, message: '请填写原因' },
            { min: 2, message: '原因至少 2 个字' },
          ]}
        >
          <Input.TextArea id="reason" rows={4} maxLength={500} showCount placeholder="将告知投诉人，请写明事实与依据" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
