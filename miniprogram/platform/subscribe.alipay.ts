import Taro from '@tarojs/taro';
import { MAX_TEMPLATES_PER_DIALOG, type SubscribeResults } from './types';

/** Alipay answers with lists of subscribed ids rather than one answer per id. */
export async function requestSubscribe(templateIds: string[]): Promise<SubscribeResults> {
  const ids = templateIds.slice(0, MAX_TEMPLATES_PER_DIALOG);
  // Taro's option type asks for the WeChat field too; my.requestSubscribeMessage takes entityIds only.
  const option = { entityIds: ids } as Taro.requestSubscribeMessage.Option;
  const reply = (await Taro.requestSubscribeMessage(option)) as Taro.requestSubscribeMessage.SuccessCallbackResult;
  const accepted = new Set([...(reply.result?.subscribeEntityIds ?? []), ...(reply.result?.subscribedEntityIds ?? [])]);
  const results: SubscribeResults = {};
  for (const id of ids) results[id] = accepted.has(id) ? 'accept' : 'reject';
  return results;
}
