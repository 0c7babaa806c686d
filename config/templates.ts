/**
 * Subscription-message templates: which case event sends which template on each platform, and
 * where each template field takes its value from. Template ids are the ones registered in the
 * vendors' consoles; the sandbox registers the same ids with the same keys.
 */
import type { NotifyEvent } from '../shared/complaint/workflow';

export type FieldSource = 'number' | 'respondent' | 'status' | 'time' | 'note' | 'deadline';

export interface TemplateConfig {
  event: NotifyEvent;
  id: string;
  title: string;
  page: string;
  fields: Record<string, FieldSource>;
}

const WECHAT_FIELDS: Record<string, FieldSource> = {
  character_string1: 'number',
  thing2: 'respondent',
  phrase3: 'status',
  time4: 'time',
  thing5: 'note',
};
const ALIPAY_FIELDS: Record<string, FieldSource> = {
  keyword1: 'number',
  keyword2: 'respondent',
  keyword3: 'status',
  keyword4: 'time',
  keyword5: 'note',
};

const EVENTS: Array<[NotifyEvent, string]> = [
  ['accepted', '投诉受理通知'],
  ['rejected', '投诉不予受理通知'],
  ['mediation_started', '调解开始通知'],
  ['resolved', '调解结果通知'],
  ['mediation_ended', '终止调解通知'],
  ['closed', '投诉办结通知'],
  ['transferred', '投诉移送通知'],
  ['report_decided', '举报处理结果通知'],
];

// A tap on a message opens that case's progress page (the number is appended as ?number=).
const page = 'pages/case/index';

export const WECHAT_TEMPLATES: TemplateConfig[] = EVENTS.map(([event, title]) => ({
  event,
  id: `wx-tpl-${event.replaceAll('_', '-')}`,
  title,
  page,
  fields: WECHAT_FIELDS,
}));

export const ALIPAY_TEMPLATES: TemplateConfig[] = EVENTS.map(([event, title]) => ({
  event,
  id: `ali-tpl-${event.replaceAll('_', '-')}`,
  title,
  page,
  fields: ALIPAY_FIELDS,
}));
