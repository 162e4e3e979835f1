import { useEffect, useRef, useState, type ReactNode, type SelectHTMLAttributes } from 'react';
import { Labelled } from '../../components/ui';
import { ApiError } from '../../api';

/** A labelled select with its hint and its error, wired like `Field` (components/ui). */
export function SelectField(
  props: {
    label: string;
    hint?: string | undefined;
    error?: string | undefined;
    children: ReactNode;
  } & SelectHTMLAttributes<HTMLSelectElement>,
) {
  const { label, hint, error, children, ...select } = props;
  return (
    <Labelled
      label={label}
      hint={hint}
      error={error}
      control={(wiring) => (
        <select {...wiring} {...select}>
          {children}
        </select>
      )}
    />
  );
}

/** The first field error the server gave for `where` or anything under it (`languages` → `languages.2`). */
export function errorUnder(error: unknown, where: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  return error.details.find((d) => d.where === where || d.where.startsWith(`${where}.`))?.message;
}

/**
 * Whether an error means "no such page": the server's not found (a missing programme and someone
 * else's look the same), or an id in the address that cannot be one.
 */
export const isNotFound = (error: unknown) =>
  error instanceof ApiError &&
  (error.status === 404 || (error.status === 400 && error.details.some((d) => d.where.startsWith('params.'))));

/**
 * A table's scroll box (`.table-wrap`): a named region that takes keyboard focus only while its
 * table is wider than the screen, so it can be scrolled with the arrow keys without adding a
 * useless tab stop on wide screens.
 */
export function TableWrap({ labelledBy, children }: { labelledBy: string; children: ReactNode }) {
  const box = useRef<HTMLDivElement>(null);
  const [scrolls, setScrolls] = useState(false);
  useEffect(() => {
    const el = box.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const check = () => setScrolls(el.scrollWidth > el.clientWidth + 1);
    const observer = new ResizeObserver(check);
    observer.observe(el);
    if (el.firstElementChild) observer.observe(el.firstElementChild);
    check();
    return () => observer.disconnect();
  }, []);
  return (
    <div ref={box} className="table-wrap" role="region" aria-labelledby={labelledBy} tabIndex={scrolls ? 0 : undefined}>
      {children}
    </div>
  );
}
