import { checkPassword, passwordProblems } from './password-policy';
import { BadInputError } from '../errors/problems';

const rules = (password: string, context = {}) => passwordProblems(password, context).map((p) => p.rule);

describe('password policy', () => {
  it("accepts the project's shipped demo and test passwords", () => {
    for (const p of [
      'halve-demo-2024',
      'correct horse battery staple',
      'a long enough password',
      'admin-password-0123',
      'admin password 123',
      'another password',
      'benchmark password',
      'certifier-password-1',
      'energy-manager-password',
      'joinery-password-1',
      'serena-owner-password',
      'viewer password 123',
      'viewer password',
    ]) {
      expect([p, rules(p, { email: 'ada@example.com', orgName: 'Lovelace Bakery Ltd' })]).toEqual([p, []]);
    }
  });

  it('refuses short and overlong passwords', () => {
    expect(rules('k7#Qz!p')).toEqual(['too_short']);
    expect(rules('x'.repeat(201))).toEqual(['too_long']);
  });

  it('refuses the common-password list, also with digits or symbols appended', () => {
    expect(rules('qwertyuiop')).toContain('common');
    expect(rules('1234567890')).toContain('common');
    expect(rules('Basketball')).toEqual(['common']);
    expect(rules('iloveyou2024!')).toEqual(['common']);
    expect(rules('sunshine12345')).toEqual(['common']);
  });

  it('refuses trivial patterns', () => {
    expect(rules('aaaaaaaaaa')).toEqual(['trivial']);
    expect(rules('abababab12')).toEqual(['trivial']);
    expect(rules('0987654321')).toEqual(['trivial']);
    expect(rules('ghijklmnopqr')).toEqual(['trivial']);
    expect(rules('45678901234')).toEqual(['trivial']);
  });

  it('refuses the e-mail address, its local part and the organisation name, ignoring case and punctuation', () => {
    expect(rules('ada.lovelace@example.com', { email: 'Ada.Lovelace@example.com' })).toEqual([
      'contains_email',
    ]);
    expect(rules('my ADA.LOVELACE pass', { email: 'ada.lovelace@example.com' })).toEqual(['contains_email']);
    expect(rules('adalovelace!!99', { email: 'ada.lovelace@example.com' })).toEqual(['contains_email']);
    expect(rules('lovelace-bakery-ltd 7', { orgName: 'Lovelace Bakery Ltd' })).toEqual(['contains_org_name']);
    // Short names do not forbid every password containing two letters.
    expect(rules('correct horse battery staple', { email: 'co@example.com', orgName: 'ACE' })).toEqual([]);
  });

  it('checkPassword throws a 400 problem naming the field and the rules', () => {
    expect(() => checkPassword('correct horse battery staple')).not.toThrow();
    let error: unknown;
    try {
      checkPassword('aaaaaaa', { email: 'aaaa@example.com' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BadInputError);
    const problem = error as BadInputError;
    expect(problem.status).toBe(400);
    expect(problem.fields?.every((f) => f.field === 'password')).toBe(true);
    expect(problem.extra).toEqual({ rules: ['too_short', 'trivial', 'contains_email'] });
  });
});
