/** Browser preview: the BFF sandbox stands in for the vendor's dialog and answers as if the user tapped 允许. */
import { request } from '../services/api';
import { MAX_TEMPLATES_PER_DIALOG, type SubscribeResults } from './types';

export async function requestSubscribe(templateIds: string[]): Promise<SubscribeResults> {
  const ids = templateIds.slice(0, MAX_TEMPLATES_PER_DIALOG);
  const reply = await request<{ results: SubscribeResults }>('/sandbox/subscribe', {
    method: 'POST',
    body: { templateIds: ids },
  });
  return reply.results;
}
