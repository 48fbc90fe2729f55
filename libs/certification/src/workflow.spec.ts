import { CLAIM_STATUSES } from './entities/certification.entities';
import { TRANSITIONS, checkTransition } from './workflow';

describe('claim workflow', () => {
  it('walks draft → submitted → in_review → changes_requested → submitted → in_review → approved', () => {
    const path: [string, string, 'organization' | 'certifier'][] = [
      ['draft', 'submitted', 'organization'],
      ['submitted', 'in_review', 'certifier'],
      ['in_review', 'changes_requested', 'certifier'],
      ['changes_requested', 'submitted', 'organization'],
      ['submitted', 'in_review', 'certifier'],
      ['in_review', 'approved', 'certifier'],
    ];
    for (const [from, to, actor] of path)
      expect(checkTransition(from as never, to as never, actor)).toEqual({ ok: true });
  });

  it('lets the organisation withdraw before a decision, never after', () => {
    for (const s of ['draft', 'submitted', 'in_review', 'changes_requested'] as const)
      expect(checkTransition(s, 'withdrawn', 'organization').ok).toBe(true);
    for (const s of ['approved', 'rejected', 'withdrawn'] as const) {
      const r = checkTransition(s, 'withdrawn', 'organization');
      expect(r).toMatchObject({ ok: false, reason: 'illegal' });
      if (!r.ok) expect(r.message).toContain('final status');
    }
  });

  it('refuses a decision by the organisation and a submission by a certifier as the wrong actor', () => {
    const r = checkTransition('in_review', 'approved', 'organization');
    expect(r).toMatchObject({ ok: false, reason: 'wrong_actor' });
    if (!r.ok) expect(r.message).toMatch(/Only a certifier/);
    expect(checkTransition('draft', 'submitted', 'certifier')).toMatchObject({
      ok: false,
      reason: 'wrong_actor',
    });
    expect(checkTransition('draft', 'draft', 'organization')).toMatchObject({
      ok: false,
      reason: 'wrong_actor',
    });
  });

  it('names the allowed moves when a move is illegal', () => {
    const r = checkTransition('submitted', 'approved', 'certifier');
    expect(r).toMatchObject({ ok: false, reason: 'illegal' });
    if (!r.ok)
      expect(r.message).toBe(
        'A submitted claim cannot move to approved; from submitted a certifier can move it to in_review.',
      );
  });

  it('has a rule set over the known statuses only, with every target owned by exactly one actor', () => {
    for (const [from, next] of Object.entries(TRANSITIONS)) {
      expect(CLAIM_STATUSES).toContain(from);
      for (const to of Object.keys(next)) expect(CLAIM_STATUSES).toContain(to);
    }
  });
});
