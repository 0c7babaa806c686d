/**
 * Content checks on the text of a case: the local word list (Aho-Corasick) for everyone and
 * WeChat's msg_sec_check for WeChat users. A hit or a failed check flags the case for staff
 * review; it never stops the case from being filed.
 */
import AhoCorasick from 'modern-ahocorasick';
import type { Deps } from '../../context';
import { DEFAULT_WORDS, type FlagWord } from './words';

export interface ContentFlag {
  source: 'wordlist' | 'wechat';
  /** wordlist: the reason; wechat: suggest (review, risky) or "unchecked" when WeChat could not answer. */
  verdict: string;
  label?: number;
  words?: string[];
  at: Date;
}

/** msg_sec_check takes at most 2500 characters. */
const WECHAT_MAX_CHARS = 2500;

export function createWordMatcher(words: readonly FlagWord[] = DEFAULT_WORDS) {
  const matcher = new AhoCorasick(words.map((w) => ({ pattern: w.word, data: w.reason })));
  return (text: string): Array<{ word: string; reason: string }> => {
    const seen = new Map<string, string>();
    for (const m of matcher.search(text)) seen.set(m.pattern, m.data ?? 'other');
    return [...seen].map(([word, reason]) => ({ word, reason }));
  };
}

const matchDefault = createWordMatcher();

export async function checkContent(
  deps: Deps,
  user: { id: string; platform: 'wechat' | 'alipay' },
  text: string,
  at = new Date(),
): Promise<ContentFlag[]> {
  const flags: ContentFlag[] = [];
  const hits = matchDefault(text);
  for (const reason of new Set(hits.map((h) => h.reason))) {
    flags.push({ source: 'wordlist', verdict: reason, words: hits.filter((h) => h.reason === reason).map((h) => h.word), at });
  }
  const checkText = deps.platforms[user.platform].checkText;
  if (checkText) {
    const account = await deps.models.User.findById(user.id, { platformUserId: 1 }).lean();
    try {
      if (!account) throw new Error('signed-in user has no account record');
      const verdict = await checkText({ platformUserId: account.platformUserId, content: Array.from(text).slice(0, WECHAT_MAX_CHARS).join('') });
      if (verdict.suggest !== 'pass') flags.push({ source: 'wechat', verdict: verdict.suggest, label: verdict.label, at });
    } catch (err) {
      // Vendor trouble must not cost the consumer their case: staff check the text instead.
      deps.logger.warn({ err: (err as Error).message, userId: user.id }, 'content check unavailable');
      flags.push({ source: 'wechat', verdict: 'unchecked', at });
    }
  }
  return flags;
}
