/**
 * Builds the outbox entry a case event sends, so the transition that causes it can write both
 * in one single-document update.
 */
import { ALIPAY_TEMPLATES, WECHAT_TEMPLATES, type FieldSource, type TemplateConfig } from '../../../../config/templates';
import { formatAlipayValue, formatValue, keyTypeOf } from '../../../../shared/notify/format';
import { STATUS_LABELS, type ComplaintStatus } from '../../../../shared/complaint/status';
import type { NotifyEvent } from '../../../../shared/complaint/workflow';
import type { Platform } from '../../../../shared/api/common';
import type { Delivery } from '../complaints/complaint.model';

export const TEMPLATES: Record<Platform, TemplateConfig[]> = { wechat: WECHAT_TEMPLATES, alipay: ALIPAY_TEMPLATES };

export function templateFor(platform: Platform, event: NotifyEvent): TemplateConfig | undefined {
  return TEMPLATES[platform].find((t) => t.event === event);
}

export interface EventFacts {
  number: string;
  respondent: string;
  status: ComplaintStatus;
  at: Date;
  note?: string;
  deadline?: string;
}

function source(facts: EventFacts, from: FieldSource): string | Date {
  switch (from) {
    case 'number':
      return facts.number;
    case 'respondent':
      return facts.respondent;
    case 'status':
      return STATUS_LABELS[facts.status];
    case 'time':
      return facts.at;
    case 'note':
      return facts.note ?? '点击查看办理详情';
    case 'deadline':
      return facts.deadline ?? '';
  }
}

export function templateData(platform: Platform, template: TemplateConfig, facts: EventFacts): Record<string, string> {
  const data: Record<string, string> = {};
  for (const [key, from] of Object.entries(template.fields)) {
    const value = source(facts, from);
    const type = keyTypeOf(key);
    data[key] = platform === 'wechat' && type ? formatValue(type, value) : formatAlipayValue(value);
  }
  return data;
}

export function deliveryKey(number: string, version: number, event: NotifyEvent): string {
  return `${number}-v${version}-${event}`;
}

export function buildDelivery(opts: {
  platform: Platform;
  userId: string;
  touser: string;
  event: NotifyEvent;
  version: number;
  facts: EventFacts;
}) {
  const template = templateFor(opts.platform, opts.event);
  if (!template) return undefined;
  return {
    key: deliveryKey(opts.facts.number, opts.version, opts.event),
    event: opts.event,
    platform: opts.platform,
    templateId: template.id,
    touser: opts.touser,
    userId: opts.userId,
    page: `${template.page}?number=${opts.facts.number}`,
    data: templateData(opts.platform, template, opts.facts),
    status: 'pending' as const,
    attempts: 0,
    createdAt: opts.facts.at,
  };
}

/** One outbox entry as staff see it in a case's delivery log and in the dead-letter list. */
export function deliveryView(e: Delivery) {
  return {
    key: e.key,
    event: e.event,
    platform: e.platform,
    templateId: e.templateId,
    status: e.status,
    attempts: e.attempts ?? 0,
    at: (e.doneAt ?? e.createdAt).toISOString(),
    ...(e.error ? { error: e.error } : {}),
  };
}
