import { ALLOWED_TRANSITIONS, checkTransition, listView } from './recommendations.service';
import { RECOMMENDATION_STATUSES, type RecommendationEntity } from './entities/recommendation.entities';
import { DECISION_TARGETS } from './dto/recommendations.dto';

describe('review workflow rules', () => {
  it('new → accepted | rejected → implemented → verified | not_achieved; verified is final', () => {
    expect(checkTransition('new', 'accepted', {})).toEqual({ ok: true });
    expect(checkTransition('new', 'rejected', { reason: 'landlord controls the plant' })).toEqual({
      ok: true,
    });
    expect(checkTransition('accepted', 'implemented', { implementedOn: '2024-03-01' })).toEqual({ ok: true });
    expect(checkTransition('implemented', 'verified', {})).toEqual({ ok: true });
    expect(checkTransition('implemented', 'not_achieved', {})).toEqual({ ok: true });
    expect(checkTransition('rejected', 'accepted', {})).toEqual({ ok: true });
    expect(ALLOWED_TRANSITIONS.verified).toEqual([]);
  });

  it('verifying before implementing is a conflict that says what to do', () => {
    for (const from of ['new', 'accepted', 'rejected'] as const) {
      const r = checkTransition(from, 'verified', {});
      expect(r).toEqual(expect.objectContaining({ ok: false, kind: 'conflict' }));
      expect(!r.ok && r.message).toMatch(new RegExp(`${from} cannot become verified.*implemented`));
    }
    expect(checkTransition('new', 'implemented', { implementedOn: '2024-03-01' })).toEqual(
      expect.objectContaining({ ok: false, kind: 'conflict' }),
    );
    expect(checkTransition('accepted', 'accepted', {})).toEqual(
      expect.objectContaining({
        ok: false,
        kind: 'conflict',
        message: 'The recommendation is already accepted.',
      }),
    );
  });

  it('a rejection needs a reason, an implementation its date', () => {
    expect(checkTransition('new', 'rejected', {})).toEqual(
      expect.objectContaining({ ok: false, kind: 'bad_input', field: 'reason' }),
    );
    expect(checkTransition('new', 'rejected', { reason: '   ' })).toEqual(
      expect.objectContaining({ ok: false, kind: 'bad_input', field: 'reason' }),
    );
    expect(checkTransition('accepted', 'implemented', {})).toEqual(
      expect.objectContaining({ ok: false, kind: 'bad_input', field: 'implementedOn' }),
    );
    expect(checkTransition('accepted', 'implemented', { implementedOn: '2024-02-30' })).toEqual(
      expect.objectContaining({ ok: false, kind: 'bad_input', field: 'implementedOn' }),
    );
  });

  it('every pair of statuses has an answer, and only the listed steps pass', () => {
    for (const from of RECOMMENDATION_STATUSES) {
      for (const to of DECISION_TARGETS) {
        const r = checkTransition(from, to, { reason: 'because', implementedOn: '2024-01-01' });
        expect(r.ok).toBe(ALLOWED_TRANSITIONS[from].includes(to));
      }
    }
  });

  it('list view: the issue’s shape, optional fields only when set', () => {
    const row = {
      id: 'r1',
      type: 'baseload',
      status: 'new',
      siteId: 's1',
      meterId: null,
      title: 't',
      annualSavingKwh: 100,
      annualSavingKgCo2e: 20.7,
      annualSavingMoney: 25,
      currency: 'GBP',
      rangeLow: 10,
      rangeHigh: 30,
      costMoney: null,
      paybackYears: null,
      confidence: 'medium',
      assigneeUserId: null,
      stale: false,
      analysedAt: new Date(0),
    } as unknown as RecommendationEntity;
    const v = listView(row);
    expect(v).toEqual(
      expect.objectContaining({
        id: 'r1',
        annualSavingKwh: 100,
        range: { low: 10, high: 30 },
        confidence: 'medium',
      }),
    );
    expect(v).not.toHaveProperty('meterId');
    expect(v).not.toHaveProperty('costMoney');
    expect(
      listView({
        ...row,
        rangeLow: null,
        rangeHigh: null,
        costMoney: 5000,
        paybackYears: 4.2,
      } as RecommendationEntity),
    ).toEqual(expect.objectContaining({ range: null, costMoney: 5000, paybackYears: 4.2 }));
  });
});
