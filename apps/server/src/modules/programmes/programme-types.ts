/** An organisation's profile: what a programme records about a participant, and nothing more. */
export interface OrganisationProfile {
  name: string;
  kind: 'media' | 'cso' | 'other';
  sizeBand: '1-5' | '6-10' | '11-25' | '26-50' | '51+';
  municipality: string;
  country: string;
  focus: string;
  languages: string[];
}

/** A programme with its pinned framework version and its rounds in order. */
export interface ProgrammeView {
  id: string;
  name: string;
  framework: { id: string; key: string; version: string };
  rounds: { id: string; name: string; position: number; startsOn: string | null; endsOn: string | null }[];
}
