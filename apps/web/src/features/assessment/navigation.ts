import { useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { EvidenceItem } from '@kalaja/contracts';
import type { Framework } from '@kalaja/engine/display';

/** The address of one domain of the page being shown. */
export const domainLink = (domain: string) => `?domain=${encodeURIComponent(domain)}`;

/**
 * The domain a questionnaire or review shows: the one the address names (`?domain=`), else
 * `initial`, worked out once so that the page does not move as answers arrive. After the person
 * picks another domain (`pick`, then the link), reading starts at the new domain's heading: it
 * takes the focus and scrolls into view.
 */
export function useDomainNavigation(framework: Framework, initial: () => string) {
  const [params] = useSearchParams();
  const asked = params.get('domain');
  const [fallback] = useState(initial);
  const current = framework.domains.some((d) => d.id === asked) ? asked! : fallback;
  const index = framework.domains.findIndex((d) => d.id === current);

  const heading = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);
  useEffect(() => {
    if (!moved.current) return;
    moved.current = false;
    heading.current?.focus();
    heading.current?.scrollIntoView({ block: 'start' });
  }, [current]);
  const pick = () => {
    moved.current = true;
  };
  return { current, index, domain: framework.domains[index]!, heading, pick };
}

/** Evidence files by the question they belong to; files of a whole domain are left out. */
export function useFilesByQuestion(files: EvidenceItem[] | undefined): Map<string, EvidenceItem[]> {
  return useMemo(() => {
    const map = new Map<string, EvidenceItem[]>();
    for (const f of files ?? []) if (f.question) map.set(f.question, [...(map.get(f.question) ?? []), f]);
    return map;
  }, [files]);
}
