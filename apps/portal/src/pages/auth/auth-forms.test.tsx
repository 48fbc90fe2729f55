// The log-in, forgot-password and reset-password forms: what they send, where they go, the API's errors.
import { afterEach, describe, expect, it } from '@jest/globals';
import { screen, waitFor } from '@testing-library/react';
import { AuthProvider } from '../../auth/auth';
import { clearTokens } from '../../api/tokens';
import { errorAt, fieldProblem, mockFetch, renderPage, user } from '../../test/render';
import { ForgotPasswordPage } from './ForgotPasswordPage';
import { LoginPage } from './LoginPage';
import { ResetPasswordPage } from './ResetPasswordPage';
import { SignupPage } from './SignupPage';

afterEach(() => {
  clearTokens();
  localStorage.clear();
});

describe('LoginPage', () => {
  it('logs in with the trimmed address, loads the account, then opens the page it was sent from', async () => {
    const { requests } = mockFetch((r) => {
      if (r.url === '/api/v1/auth/login')
        return { status: 200, body: { accessToken: 'a.b.c', expiresIn: 900 } };
      if (r.url === '/api/v1/me') return { status: 200, body: { id: 'u1', email: 'ana@example.com' } };
      if (r.url === '/api/v1/orgs') return { status: 200, body: [] };
    });
    renderPage(
      <AuthProvider>
        <LoginPage />
      </AuthProvider>,
      { route: '/login?next=/orgs/org-1/sites' },
    );
    await user().type(screen.getByLabelText(/E-mail/), ' ana@example.com ');
    await user().type(screen.getByLabelText(/Password/), 'correct horse');
    await user().click(screen.getByRole('button', { name: 'Log in' }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/orgs/org-1/sites'));
    expect(requests[0]).toEqual({
      method: 'POST',
      url: '/api/v1/auth/login',
      body: { email: 'ana@example.com', password: 'correct horse' },
    });
  });

  it('shows the API’s field errors at the fields and the reason above the button', async () => {
    mockFetch(() =>
      fieldProblem({ email: 'email must be an email', password: 'password should not be empty' }),
    );
    renderPage(
      <AuthProvider>
        <LoginPage />
      </AuthProvider>,
      { route: '/login' },
    );
    await user().type(screen.getByLabelText(/E-mail/), 'ana');
    await user().click(screen.getByRole('button', { name: 'Log in' }));
    await waitFor(() => expect(errorAt(/E-mail/)).toBe('email must be an email'));
    expect(errorAt(/Password/)).toBe('password should not be empty');
    expect(screen.getByRole('alert').textContent).toContain('Could not log in');
    expect(screen.getByTestId('location').textContent).toBe('/login');
  });
});

describe('ForgotPasswordPage', () => {
  it('cannot be sent empty; sends the address and then says what happens next', async () => {
    const { requests } = mockFetch(() => ({ status: 202, body: {} }));
    renderPage(<ForgotPasswordPage />, { route: '/forgot-password' });
    const send = screen.getByRole('button', { name: 'Send the link' }) as HTMLButtonElement;
    expect(send.disabled).toBe(true);
    await user().type(screen.getByLabelText(/E-mail/), 'ana@example.com ');
    await user().click(send);
    expect((await screen.findByRole('status')).textContent).toContain(
      'If an account exists for ana@example.com, we sent a link',
    );
    expect(requests).toEqual([
      { method: 'POST', url: '/api/v1/auth/password-reset', body: { email: 'ana@example.com' } },
    ]);
  });

  it('shows the API’s error at the e-mail field', async () => {
    mockFetch(() => fieldProblem({ email: 'email must be an email' }));
    renderPage(<ForgotPasswordPage />, { route: '/forgot-password' });
    await user().type(screen.getByLabelText(/E-mail/), 'ana');
    await user().click(screen.getByRole('button', { name: 'Send the link' }));
    await waitFor(() => expect(errorAt(/E-mail/)).toBe('email must be an email'));
    expect(screen.getByRole('alert').textContent).toContain('Could not send the link');
  });
});

describe('ResetPasswordPage', () => {
  it('sends the token of the link with the new password, then opens the log-in page', async () => {
    const { requests } = mockFetch(() => ({ status: 204 }));
    renderPage(<ResetPasswordPage />, { route: '/reset-password?token=tok-1' });
    await user().type(screen.getByLabelText(/New password/), 'a much longer one');
    await user().click(screen.getByRole('button', { name: 'Set the password' }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/login?reset=done'));
    expect(requests).toEqual([
      {
        method: 'POST',
        url: '/api/v1/auth/password-reset/confirm',
        body: { token: 'tok-1', password: 'a much longer one' },
      },
    ]);
  });

  it('shows a short password at the field, and offers a new link when the token is refused', async () => {
    mockFetch(() =>
      fieldProblem({
        password: 'password must be longer than or equal to 10 characters',
        token: 'This link has expired.',
      }),
    );
    renderPage(<ResetPasswordPage />, { route: '/reset-password?token=old' });
    await user().type(screen.getByLabelText(/New password/), 'short');
    await user().click(screen.getByRole('button', { name: 'Set the password' }));
    await waitFor(() =>
      expect(errorAt(/New password/)).toBe('password must be longer than or equal to 10 characters'),
    );
    expect(screen.getByRole('link', { name: 'Ask for a new link' }).getAttribute('href')).toBe(
      '/forgot-password',
    );
  });

  it('says the link is broken when it has no token, with no form', () => {
    mockFetch(() => undefined);
    renderPage(<ResetPasswordPage />, { route: '/reset-password' });
    expect(screen.getByRole('alert').textContent).toContain('This link has no token.');
    expect(screen.queryByRole('button', { name: 'Set the password' })).toBeNull();
  });
});

describe('SignupPage', () => {
  const account = (r: { url: string }) => {
    if (r.url === '/api/v1/auth/signup')
      return { status: 201, body: { accessToken: 'a.b.c', expiresIn: 900, organization: { id: 'org-7' } } };
    if (r.url === '/api/v1/me') return { status: 200, body: { id: 'u1', email: 'ana@example.com' } };
    if (r.url === '/api/v1/orgs') return { status: 200, body: [] };
  };

  it('creates the account with its organisation, in the zone of the country picked, then opens it', async () => {
    const { requests } = mockFetch(account);
    renderPage(
      <AuthProvider>
        <SignupPage />
      </AuthProvider>,
      { route: '/signup' },
    );
    await user().type(screen.getByLabelText(/Your name/), ' Ana ');
    await user().type(screen.getByLabelText(/Work e-mail/), 'ana@example.com');
    await user().type(screen.getByLabelText(/Password/), 'correct horse');
    await user().type(screen.getByLabelText(/Organisation name/), 'Ana’s bakery');
    await user().selectOptions(screen.getByLabelText('Country'), 'FR');
    await user().click(screen.getByRole('button', { name: 'Create account' }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/orgs/org-7'));
    expect(requests[0].body).toEqual({
      name: 'Ana',
      email: 'ana@example.com',
      password: 'correct horse',
      organizationName: 'Ana’s bakery',
      country: 'FR',
      timezone: 'Europe/Paris',
    });
  });

  it('shows the API’s field errors at the fields', async () => {
    mockFetch(() => fieldProblem({ email: 'This address already has an account.' }));
    renderPage(
      <AuthProvider>
        <SignupPage />
      </AuthProvider>,
      { route: '/signup' },
    );
    await user().click(screen.getByRole('button', { name: 'Create account' }));
    await waitFor(() => expect(errorAt(/Work e-mail/)).toBe('This address already has an account.'));
    expect(errorAt(/Your name/)).toBeNull();
    expect(screen.getByRole('alert').textContent).toContain('Could not create the account');
  });
});
