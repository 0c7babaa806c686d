import { changeSet, contribution, decodeKey, encodeKey, flatten, scopeKeys, sumDocs } from '../../bff/src/modules/insight/counters';
import { dimension, isHotspot, percentile, poissonTail, sumCounts } from '../../bff/src/modules/insight/figures';

const hist = (entries: Array<[number, number]>) => new Map(entries.map(([d, n]) => [String(d), n]));

describe('percentiles from a day histogram (nearest rank)', () => {
  it('matches sorting the values', () => {
    const values = [0, 1, 1, 2, 3, 3, 3, 5, 8, 13];
    const h = hist([[0, 1], [1, 2], [2, 1], [3, 3], [5, 1], [8, 1], [13, 1]]);
    for (const q of [0.1, 0.5, 0.9, 0.95, 1]) expect(percentile(h, q)).toBe(values[Math.ceil(q * values.length) - 1]);
  });
  it('is null without cases and sorts keys as numbers, not text', () => {
    expect(percentile(new Map(), 0.5)).toBeNull();
    expect(percentile(hist([[10, 1], [9, 1], [2, 1]]), 0.5)).toBe(9);
  });
});

describe('the hotspot rule', () => {
  it('Poisson tail', () => {
    expect(poissonTail(0, 3)).toBe(1);
    expect(poissonTail(1, 2)).toBeCloseTo(1 - Math.exp(-2), 12);
    expect(poissonTail(3, 1)).toBeCloseTo(1 - Math.exp(-1) * (1 + 1 + 0.5), 12);
  });
  it('needs at least 5 cases', () => {
    expect(isHotspot(4, 0).hot).toBe(false);
    expect(isHotspot(5, 0).hot).toBe(true);
  });
  it('needs the count to be unlikely at the usual level', () => {
    // Usual 2 a week: 6 is within reach (p ≈ 0.017), 8 is not (p ≈ 0.001).
    expect(isHotspot(6, 16).hot).toBe(false);
    expect(isHotspot(9, 16).hot).toBe(true);
  });
  it('needs 1.5 times the usual level, so a big steady flow does not flag small drifts', () => {
    // Usual 100 a week: 140 is improbable under Poisson but only 1.4 times usual.
    expect(isHotspot(140, 800).hot).toBe(false);
    expect(isHotspot(160, 800).hot).toBe(true);
  });
});

describe('counter changes', () => {
  const base = {
    type: 'complaint',
    status: 'submitted',
    bureauCode: '110105',
    receivedAt: new Date('2026-11-02T02:00:00Z'),
    respondent: { name: '某公司', creditCode: '91350100M000100Y43' },
    business: { categoryCode: 'goods.appliance', problemTypeCode: 'quality.defect', channel: 'store' },
    timeline: [{ at: new Date('2026-11-02T02:00:00Z'), action: 'submit' }],
  };
  it('keys are field-safe and come back unchanged', () => {
    for (const v of ['goods.appliance', '110105', '$where', 'a~b']) {
      expect(encodeKey(v)).not.toMatch(/^\$|\.|^\d/);
      if (!v.includes('~')) expect(decodeKey(encodeKey(v))).toBe(v);
    }
  });
  it('a case counts in its bureau and each level of its region, once each', () => {
    expect(scopeKeys('110105', '110105')).toEqual(['b:110105', 'r:', 'r:11', 'r:1101', 'r:110105']);
    expect(scopeKeys('9901', '')).toEqual(['b:9901', 'r:']);
  });
  it('a status change moves one count between statuses and leaves the rest', () => {
    const s = { keys: ['b:110105'], day: '2026-11-02' };
    const after = { ...base, status: 'accepted', timeline: [...base.timeline, { at: new Date('2026-11-05T02:00:00Z'), action: 'accept' }] };
    const changes = changeSet({ ...s, counts: contribution(base) }, { ...s, counts: contribution(after) });
    expect(changes.get('b:110105|2026-11-02')).toEqual({ 'st.ksubmitted': -1, 'st.kaccepted': 1, 'dec.k3': 1 });
  });
  it('a transfer moves every count to the new bureau', () => {
    const before = { keys: ['b:110105', 'r:'], day: '2026-11-02', counts: contribution(base) };
    const after = { keys: ['b:110108', 'r:'], day: '2026-11-02', counts: contribution({ ...base, bureauCode: '110108' }) };
    const changes = changeSet(before, after);
    expect(changes.has('r:|2026-11-02')).toBe(false);
    expect(changes.get('b:110105|2026-11-02')!.n).toBe(-1);
    expect(changes.get('b:110108|2026-11-02')!.n).toBe(1);
  });
});

describe('summing stored counter documents', () => {
  const docs = [
    { _id: 'r:11|2026-11-01', scope: 'r:11', day: '2026-11-01', n: 3, late: 1, st: { ksubmitted: 2, kclosed: 1 }, resp: { kaa: 2, kbb: 1 }, cat: { 'kgoods~food': 3 } },
    { _id: 'r:11|2026-11-02', scope: 'r:11', day: '2026-11-02', n: 2, st: { kclosed: 2 }, resp: { kbb: 2 }, dec: { k3: 1, k10: 1 } },
    { _id: 'r:11|2026-11-03', scope: 'r:11', day: '2026-11-03', n: 0, st: { kclosed: 0 } },
  ];
  it('gives what summing the flattened documents gives, without the address fields', () => {
    const sum = sumDocs(docs);
    expect(sum).toEqual(sumCounts(docs.map(flatten)));
    expect(sum).toEqual({ n: 5, late: 1, 'st.ksubmitted': 2, 'st.kclosed': 3, 'resp.kaa': 2, 'resp.kbb': 3, 'cat.kgoods~food': 3, 'dec.k3': 1, 'dec.k10': 1 });
    expect(dimension(sum, 'cat')).toEqual(new Map([['goods.food', 3]]));
  });
  it('sums only the dimensions asked for', () => {
    expect(sumDocs(docs, ['resp', 'cat'])).toEqual({ 'resp.kaa': 2, 'resp.kbb': 3, 'cat.kgoods~food': 3 });
  });
});
