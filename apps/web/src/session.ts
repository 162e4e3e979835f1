import type { Me, Role } from '@kalaja/contracts';
import { useQuery } from '@tanstack/react-query';
import { api, type ApiError } from './api';
import { keys } from './queries';

/** How the signed-in user is read: shared by the hook and by the prefetch the app starts with. */
export const meQuery = {
  queryKey: keys.me,
  queryFn: () => api<Me>('GET', '/me'),
  retry: (count: number, e: ApiError) => e.status === 0 && count < 3,
  staleTime: 60_000,
};

/** The signed-in user, or what the session still owes (`signin`, `mfa`). */
export function useMe() {
  return useQuery<Me, ApiError>(meQuery);
}

/** Whether the reader holds `role` (in `programmeId`, when given). */
export const roleIn = (me: Me | undefined, role: Role, programmeId?: string) =>
  me?.memberships.some((m) => m.role === role && (programmeId === undefined || m.programmeId === programmeId)) ?? false;
