import type { Me, Role } from '@kalaja/contracts';
import { useQuery } from '@tanstack/react-query';
import { api, type ApiError } from './api';
import { keys } from './queries';

/** The signed-in user, or what the session still owes (`signin`, `mfa`). */
export function useMe() {
  return useQuery<Me, ApiError>({
    queryKey: keys.me,
    queryFn: () => api<Me>('GET', '/me'),
    retry: (count, e) => e.status === 0 && count < 3,
    staleTime: 60_000,
  });
}

/** Whether the reader holds `role` (in `programmeId`, when given). */
export const roleIn = (me: Me | undefined, role: Role, programmeId?: string) =>
  me?.memberships.some((m) => m.role === role && (programmeId === undefined || m.programmeId === programmeId)) ?? false;
