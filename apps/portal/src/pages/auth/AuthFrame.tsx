export function AuthFrame({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="auth-page">
      <main id="main" className="auth-card">
        <div className="auth-brand" aria-hidden="true">
          <svg viewBox="0 0 32 32" width="36" height="36">
            <circle cx="16" cy="16" r="15" fill="#14532d" />
            <path d="M16 1a15 15 0 0 1 0 30z" fill="#4ade80" />
          </svg>
          <span>Halve</span>
        </div>
        <h1>{title}</h1>
        {children}
      </main>
    </div>
  );
}
