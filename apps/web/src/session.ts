import { useQuery } from '@tanstack/react-query';
import type { ApiError } from './api';
import { api } from './api';

export type Role = 'programme_manager' | 'assessor' | 'org_admin' | 'org_member' | 'observer';
export interface Me {
  id: string;
  email: string;
  displayName: string;
  isInstanceAdmin: boolean;
  memberships: { role: Role; programmeId: string | null; organisationId: string | null }[];
}

/** The signed-in user, or what the session still owes (`signin`, `mfa`). */
export function useMe() {
  return useQuery<Me, ApiError>({
    queryKey: ['me'],
    queryFn: () => api<Me>('GET', '/me'),
    retry: (count, e) => e.status === 0 && count < 3,
    staleTime: 60_000,
  });
}

export const roleIn = (me: Me | undefined, role: Role, programmeId?: string) =>
  me?.memberships.some((m) => m.role === role && (programmeId === undefined || m.programmeId === programmeId)) ?? false;
