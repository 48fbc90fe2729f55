import type { ClaimStatus } from './entities/certification.entities';

export type Actor = 'organization' | 'certifier';

/** The claim workflow: who may move a claim from which status to which. */
export const TRANSITIONS: Record<ClaimStatus, Partial<Record<ClaimStatus, Actor>>> = {
  draft: { submitted: 'organization', withdrawn: 'organization' },
  submitted: { in_review: 'certifier', withdrawn: 'organization' },
  in_review: {
    changes_requested: 'certifier',
    approved: 'certifier',
    rejected: 'certifier',
    withdrawn: 'organization',
  },
  // Resubmission: back to submitted with a new snapshot.
  changes_requested: { submitted: 'organization', withdrawn: 'organization' },
  approved: {},
  rejected: {},
  withdrawn: {},
};

export const ORG_TARGETS: readonly ClaimStatus[] = ['submitted', 'withdrawn'];
export const CERTIFIER_TARGETS: readonly ClaimStatus[] = [
  'in_review',
  'changes_requested',
  'approved',
  'rejected',
];

/** The organisation may edit the claim and add evidence only in these. */
export const EDITABLE: readonly ClaimStatus[] = ['draft', 'changes_requested'];

export type TransitionCheck =
  { ok: true } | { ok: false; reason: 'wrong_actor' | 'illegal'; message: string };

/** Whether `actor` may move a claim from `from` to `to`; the message says what is allowed instead. */
export function checkTransition(from: ClaimStatus, to: ClaimStatus, actor: Actor): TransitionCheck {
  const targetOwner = ORG_TARGETS.includes(to)
    ? 'organization'
    : CERTIFIER_TARGETS.includes(to)
      ? 'certifier'
      : null;
  if (targetOwner !== actor) {
    const who = actor === 'organization' ? 'the organisation' : 'a certifier';
    const allowed = actor === 'organization' ? ORG_TARGETS : CERTIFIER_TARGETS;
    return {
      ok: false,
      reason: 'wrong_actor',
      message: targetOwner
        ? `Only ${targetOwner === 'certifier' ? 'a certifier of the certification body' : 'the organisation'} can move a claim to ${to}; ${who} can move it to ${allowed.join(' or ')}.`
        : `A claim cannot be moved to ${to}; ${who} can move it to ${allowed.join(' or ')}.`,
    };
  }
  const next = TRANSITIONS[from];
  if (next[to] === actor) return { ok: true };
  const possible = Object.entries(next)
    .filter(([, a]) => a === actor)
    .map(([s]) => s);
  const terminal = Object.keys(next).length === 0;
  return {
    ok: false,
    reason: 'illegal',
    message: terminal
      ? `The claim is ${from}, a final status: it cannot move to ${to}.`
      : `A ${from} claim cannot move to ${to}${possible.length ? `; from ${from} ${actor === 'organization' ? 'the organisation' : 'a certifier'} can move it to ${possible.join(' or ')}` : ''}.`,
  };
}
