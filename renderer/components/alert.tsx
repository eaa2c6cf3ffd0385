import type { ReactNode } from 'react';

export interface AlertProps {
  tone: 'error' | 'info' | 'success';
  children: ReactNode;
  onDismiss?: () => void;
}

export function Alert({ tone, children, onDismiss }: AlertProps) {
  return (
    <div className={`alert alert--${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      <div className="alert__body">{children}</div>
      {onDismiss ? (
        <button type="button" className="button button--ghost" onClick={onDismiss} aria-label="Dismiss">
          ×
        </button>
      ) : null}
    </div>
  );
}
