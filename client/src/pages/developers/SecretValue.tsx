import { useState, useRef } from 'react';

/** A signing secret with a copy button. */
export function SecretValue({ secret }: { secret: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const ref = useRef<HTMLElement>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('yes');
    } catch {
      // No clipboard access (an insecure origin, a denied permission): select it for a manual copy.
      const selection = window.getSelection();
      if (ref.current && selection) selection.selectAllChildren(ref.current);
      setCopied('failed');
    }
  };
  return (
    <span className="secret">
      <code ref={ref}>{secret}</code>
      <button type="button" className="btn btn-small" onClick={() => void copy()}>
        Copy
      </button>
      {copied && (
        <small className="muted" role="status">
          {copied === 'yes' ? 'Copied' : 'Selected; press Ctrl+C'}
        </small>
      )}
    </span>
  );
}
