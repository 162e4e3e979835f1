import { organisationProfile, programmeCreateRequest } from '@kalaja/contracts';
import { LIMITS } from '@kalaja/contracts/limits';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api';
import { checked } from '../src/components/checked';
import '../src/i18n';

/**
 * A form checks its values with the contract's own schema before sending, and a problem must
 * look like the server's answer: the same field names (so the same field shows it), in plain
 * words with the bound that was broken.
 */
const profile = {
  name: '  Lajmi i Lirë  ',
  kind: 'media' as const,
  sizeBand: '6-10' as const,
  municipality: 'Prishtinë',
  country: 'XK',
  focus: '',
  languages: ['sq'],
};

describe('a form checked against its contract', () => {
  it('sends what the server would read: trimmed, with the defaults filled in', () => {
    const { municipality: _, ...withoutMunicipality } = profile;
    expect(checked(organisationProfile, withoutMunicipality)).toEqual({
      ...withoutMunicipality,
      name: 'Lajmi i Lirë',
      municipality: '',
    });
  });

  it('names each field in trouble as the server does, with the limit it broke', () => {
    let error: unknown;
    try {
      checked(organisationProfile, { ...profile, name: 'x'.repeat(LIMITS.name + 1), country: 'Kosovo' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ApiError);
    const e = error as ApiError;
    expect([e.status, e.code]).toEqual([400, 'invalid_request']);
    expect(e.detail('name')).toBe(`Keep it to ${LIMITS.name} characters or fewer.`);
    expect(e.detail('country')).toMatch(/hint beside the field/);
  });

  it('names a field inside a list by its position, as the server’s details do', () => {
    let error: unknown;
    try {
      checked(programmeCreateRequest, {
        name: 'P',
        frameworkId: 'fw-0000001',
        rounds: [{ name: 'baseline' }, { name: ' ' }],
      });
    } catch (e) {
      error = e;
    }
    expect((error as ApiError).details.map((d) => d.where)).toEqual(['rounds.1.name']);
    expect((error as ApiError).detail('rounds.1.name')).toBe('Fill this in.');
  });
});
