/**
 * Asks what an export of complainants' names and phones in full is for, and the staff member's
 * password again, before the server hands out the single-use download ticket.
 */
import { useState } from 'react';
import { Alert, Form, Input, Modal, Select, Typography } from 'antd';
import { ApiError, type ExportFormat } from '../api';
import { EXPORT_PURPOSE_LABELS, EXPORT_PURPOSE_TEXT } from '../../../../shared/complaint/export-purposes';

export interface FullExportFields {
  category: string;
  text: string;
  password: string;
}

interface Props {
  /** The format asked for; the modal is open while it is set. */
  format: ExportFormat | undefined;
  onCancel: () => void;
  /** Throws the server's refusal (wrong password, too many rows) for the modal to show. */
  onSubmit: (fields: FullExportFields) => Promise<void>;
}

/** The server's field paths as this form names them. */
const FIELD_NAMES = new Map<string, keyof FullExportFields>([
  ['purpose.category', 'category'],
  ['purpose.text', 'text'],
  ['password', 'password'],
]);

const PURPOSE_OPTIONS = Object.entries(EXPORT_PURPOSE_LABELS).map(([value, label]) => ({ value, label }));

export function FullExportModal({ format, onCancel, onSubmit }: Props) {
  const [form] = Form.useForm<FullExportFields>();
  const [submitting, setSubmitting] = useState(false);
  const [refusal, setRefusal] = useState<string>();

  async function submit() {
    const values = await form.validateFields().catch(() => undefined);
    if (!values) return;
    setSubmitting(true);
    setRefusal(undefined);
    try {
      await onSubmit({ ...values, text: values.text.trim() });
      onCancel();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'REAUTH_FAILED') {
        form.setFields([{ name: 'password', value: '', errors: [err.message] }]);
      } else if (err instanceof ApiError && err.fields?.some((f) => FIELD_NAMES.has(f.path))) {
        form.setFields(err.fields.filter((f) => FIELD_NAMES.has(f.path)).map((f) => ({ name: FIELD_NAMES.get(f.path)!, errors: [f.message] })));
      } else {
        setRefusal(err instanceof Error ? err.message : '导出失败，请稍后重试');
        form.setFieldValue('password', '');
      }
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <Modal
      open={format !== undefined}
      title="导出投诉人完整信息"
      okText="验证并导出"
      okButtonProps={{ id: 'confirm-full-export', danger: true }}
      confirmLoading={submitting}
      onOk={submit}
      onCancel={onCancel}
      destroyOnHidden
      afterClose={() => setRefusal(undefined)}
      width={560}
    >
      <Typography.Paragraph type="secondary">
        文件将包含投诉人的完整姓名和电话。请写明用途并再次输入登录密码；用途和导出记录将记入审计日志。
      </Typography.Paragraph>
      {refusal && <Alert className="full-export-refusal" type="error" showIcon title={refusal} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="category" label="用途类别" rules={[{ required: true, message: '请选择导出用途' }]}>
          <Select id="purpose-category" placeholder="选择用途" options={PURPOSE_OPTIONS} />
        </Form.Item>
        <Form.Item
          name="text"
          label="用途说明"
          rules={[
            { required: true, whitespace: true, message: '请写明导出用途' },
            { min: EXPORT_PURPOSE_TEXT.min, message: `请写明导出用途（至少 ${EXPORT_PURPOSE_TEXT.min} 个字）` },
          ]}
        >
          <Input.TextArea id="purpose-text" rows={3} maxLength={EXPORT_PURPOSE_TEXT.max} showCount placeholder="例如：调解中需电话联系投诉人核实退款情况" />
        </Form.Item>
        <Form.Item name="password" label="登录密码" rules={[{ required: true, message: '请输入您的登录密码' }]}>
          <Input.Password id="reauth-password" autoComplete="current-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
