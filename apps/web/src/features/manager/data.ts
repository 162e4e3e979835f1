import {
  organisationKind,
  roleSchema,
  sizeBand,
  type Organisation,
  type Programme,
  type Role,
} from '@kalaja/contracts';
import { useOutletContext } from 'react-router';

/** The values the forms offer, in the contracts' order: the same lists the server accepts. */
export const KINDS = organisationKind.options;
export const SIZE_BANDS = sizeBand.options;
export const ROLES = roleSchema.options;
/** The roles that belong to one organisation (the invitation names which). */
export const ORGANISATION_ROLES: readonly Role[] = ['org_admin', 'org_member'];

/** What the programme's layout hands each of its sections. */
export interface ProgrammeContext {
  programme: Programme;
  organisations: Organisation[];
}

/** The programme a section belongs to, loaded by the layout around it. */
export const useProgrammeContext = () => useOutletContext<ProgrammeContext>();
