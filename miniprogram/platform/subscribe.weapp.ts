import Taro from '@tarojs/taro';
import { MAX_TEMPLATES_PER_DIALOG, type SubscribeResult, type SubscribeResults } from './types';

const ANSWERS: readonly string[] = ['accept', 'reject', 'ban', 'filter'];

export async function requestSubscribe(templateIds: string[]): Promise<SubscribeResults> {
  const ids = templateIds.slice(0, MAX_TEMPLATES_PER_DIALOG);
  // Taro's option type asks for the Alipay field too; WeChat takes tmplIds only.
  const option = { tmplIds: ids } as Taro.requestSubscribeMessage.Option;
  const reply = (await Taro.requestSubscribeMessage(option)) as unknown as Record<string, unknown>;
  const results: SubscribeResults = {};
  for (const id of ids) {
    const answer = reply[id];
    if (typeof answer === 'string' && ANSWERS.includes(answer)) results[id] = answer as SubscribeResult;
  }
  return results;
}
