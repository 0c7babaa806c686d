/**
 * The local word list: words that make staff look at a case before anything else (threats,
 * illegal trades, contact-trading). A hit never blocks filing. Kept as data so it can be edited
 * without touching the matcher.
 */
export interface FlagWord {
  word: string;
  /** Why the word matters, shown to staff. */
  reason: 'threat' | 'illegal_trade' | 'contact' | 'abuse';
}

export const DEFAULT_WORDS: readonly FlagWord[] = [
  { word: '赌博', reason: 'illegal_trade' },
  { word: '代开发票', reason: 'illegal_trade' },
  { word: '毒品', reason: 'illegal_trade' },
  { word: '枪支', reason: 'illegal_trade' },
  { word: '炸药', reason: 'threat' },
  { word: '同归于尽', reason: 'threat' },
  { word: '报复社会', reason: 'threat' },
  { word: '跳楼', reason: 'threat' },
  { word: '加微信', reason: 'contact' },
  { word: '刷单', reason: 'illegal_trade' },
  { word: '傻逼', reason: 'abuse' },
];
