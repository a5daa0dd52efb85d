import { useEffect, useState } from 'react';

/** Runs a staff action and tells how it went (a toast); resolves whether it worked. */
export type Act = (text: string, run: () => Promise<unknown>) => Promise<boolean>;

interface ToastMessage {
  tone: 'good' | 'bad';
  text: string;
}

/** The dashboard's one toast: `act` runs an action and shows its outcome; good news fades sooner than bad. */
export function useToast(explainFailure: (failure: unknown) => string): {
  toast: ToastMessage | null;
  dismiss: () => void;
  act: Act;
} {
  const [toast, setToast] = useState<ToastMessage | null>(null);

  useEffect(() => {
    if (!toast) return;
    const timer = window.setTimeout(() => setToast(null), toast.tone === 'good' ? 4000 : 8000);
    return () => window.clearTimeout(timer);
  }, [toast]);

  const act: Act = async (text, run) => {
    try {
      await run();
      setToast({ tone: 'good', text });
      return true;
    } catch (failure) {
      setToast({ tone: 'bad', text: explainFailure(failure) });
      return false;
    }
  };
  return { toast, dismiss: () => setToast(null), act };
}

export function Toast({ toast, onDismiss }: { toast: ToastMessage; onDismiss: () => void }) {
  return (
    <div className={`toast toast-${toast.tone}`} role={toast.tone === 'bad' ? 'alert' : 'status'}>
      <span>{toast.text}</span>
      <button type="button" className="btn btn-small btn-ghost" aria-label="Dismiss" onClick={onDismiss}>
        ×
      </button>
    </div>
  );
}
