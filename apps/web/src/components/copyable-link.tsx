import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Field } from './ui';

/**
 * A link to hand over by hand (an invitation, a recovery link): shown once in a read-only field,
 * with a copy button. Where the browser offers no clipboard (an insecure origin, or permission
 * refused) the text is selected for Ctrl+C instead, and the status line says so. `children`
 * are further buttons beside the copy button.
 */
export function CopyableLink(props: {
  label: string;
  hint: string;
  link: string;
  copyLabel: string;
  copiedText: string;
  copyManualText: string;
  actionsClassName: string;
  children?: ReactNode;
}) {
  const box = useRef<HTMLDivElement>(null);
  const [copied, setCopied] = useState<'no' | 'yes' | 'manual'>('no');
  useEffect(() => setCopied('no'), [props.link]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.link);
      setCopied('yes');
    } catch {
      const field = box.current?.querySelector('input');
      field?.focus();
      field?.select();
      setCopied('manual');
    }
  };
  return (
    <div ref={box}>
      <Field
        label={props.label}
        hint={props.hint}
        value={props.link}
        readOnly
        spellCheck={false}
        onFocus={(e) => e.currentTarget.select()}
      />
      <div className={props.actionsClassName}>
        <button type="button" onClick={() => void copy()}>
          {props.copyLabel}
        </button>
        {props.children}
        <span role="status" className="muted">
          {copied === 'yes' ? props.copiedText : copied === 'manual' ? props.copyManualText : ''}
        </span>
      </div>
    </div>
  );
}
