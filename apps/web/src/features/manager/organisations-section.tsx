import { organisationProfile, type Organisation, type OrganisationProfile } from '@kalaja/contracts';
import { LIMITS } from '@kalaja/contracts/limits';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { api, path, type ApiError } from '../../api';
import { checked } from '../../components/checked';
import { ErrorNote, Field, fieldError, formValues } from '../../components/ui';
import { displayName } from '../../format';
import { keys } from '../../queries';
import { KINDS, SIZE_BANDS, useProgrammeContext } from './data';
import { errorUnder, SelectField, TableWrap } from './fields';
import { SECTION_TITLE } from './sections';

/** `sq, sr-latn` → ['sq', 'sr-Latn']: language codes as the server expects them. */
function languageCodes(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .filter(Boolean)
    .map((code) => {
      const [primary = '', script] = code.split('-');
      return script
        ? `${primary.toLowerCase()}-${script.charAt(0).toUpperCase()}${script.slice(1).toLowerCase()}`
        : primary.toLowerCase();
    });
}

function AddOrganisation({ programmeId }: { programmeId: string }) {
  const { t } = useTranslation('manager');
  const client = useQueryClient();
  const form = useRef<HTMLFormElement>(null);
  const m = useMutation<Organisation, ApiError, OrganisationProfile>({
    mutationFn: (profile) =>
      api<Organisation>('POST', path`/programmes/${programmeId}/organisations`, checked(organisationProfile, profile)),
    onSuccess: async () => {
      form.current?.reset();
      // A new organisation gets an assessment in every round: progress and results move.
      await client.invalidateQueries({ queryKey: keys.programme(programmeId) });
    },
  });
  return (
    <form
      ref={form}
      className="stack manager-form manager-form-wide"
      aria-labelledby="add-organisation"
      onSubmit={(e) => {
        e.preventDefault();
        const v = formValues(e);
        m.mutate({
          name: v.name ?? '',
          kind: v.kind as OrganisationProfile['kind'],
          sizeBand: v.sizeBand as OrganisationProfile['sizeBand'],
          municipality: v.municipality ?? '',
          country: (v.country ?? '').trim().toUpperCase(),
          focus: v.focus ?? '',
          languages: languageCodes(v.languages ?? ''),
        });
      }}
    >
      <h3 id="add-organisation">{t('organisations.add')}</h3>
      <div className="form-grid">
        <Field
          label={t('organisations.name')}
          name="name"
          required
          maxLength={LIMITS.name}
          autoComplete="off"
          error={fieldError(m.error, 'name')}
        />
        <SelectField
          label={t('organisations.kind')}
          name="kind"
          required
          defaultValue=""
          error={fieldError(m.error, 'kind')}
        >
          <option value="" disabled>
            {t('form.choose')}
          </option>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`kind.${k}`)}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('organisations.size')}
          hint={t('organisations.sizeHint')}
          name="sizeBand"
          required
          defaultValue=""
          error={fieldError(m.error, 'sizeBand')}
        >
          <option value="" disabled>
            {t('form.choose')}
          </option>
          {SIZE_BANDS.map((s) => (
            <option key={s} value={s}>
              {t(`size.${s}`)}
            </option>
          ))}
        </SelectField>
        <Field
          label={t('organisations.municipality')}
          hint={t('form.optional')}
          name="municipality"
          maxLength={LIMITS.short}
          autoComplete="off"
          error={fieldError(m.error, 'municipality')}
        />
        <Field
          label={t('organisations.country')}
          hint={t('organisations.countryHint')}
          name="country"
          required
          minLength={2}
          maxLength={2}
          pattern="[A-Za-z]{2}"
          autoCapitalize="characters"
          autoComplete="off"
          spellCheck={false}
          className="short"
          error={fieldError(m.error, 'country')}
        />
        <Field
          label={t('organisations.focus')}
          hint={t('organisations.focusHint')}
          name="focus"
          maxLength={LIMITS.name}
          autoComplete="off"
          error={fieldError(m.error, 'focus')}
        />
        <Field
          label={t('organisations.languages')}
          hint={t('organisations.languagesHint')}
          name="languages"
          autoComplete="off"
          spellCheck={false}
          error={errorUnder(m.error, 'languages')}
        />
      </div>
      <ErrorNote error={m.error} />
      {m.isSuccess && (
        <p className="success" role="status">
          {t('organisations.added', { name: m.data.name })}
        </p>
      )}
      <div className="actions">
        <button type="submit" disabled={m.isPending}>
          {t('organisations.addButton')}
        </button>
      </div>
    </form>
  );
}

/** The programme's organisations with their profiles, and the form to add one. */
export function Section() {
  const { t } = useTranslation('manager');
  const { programme, organisations } = useProgrammeContext();
  const programmeId = programme.id;
  return (
    <section aria-labelledby={SECTION_TITLE}>
      <h2 id={SECTION_TITLE} tabIndex={-1}>
        {t('organisations.title')}
      </h2>
      {organisations.length === 0 ? (
        <p>{t('organisations.none')}</p>
      ) : (
        <TableWrap labelledBy="organisations-caption">
          <table>
            <caption id="organisations-caption" className="visually-hidden">
              {t('organisations.caption')}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('organisations.name')}</th>
                <th scope="col">{t('organisations.kind')}</th>
                <th scope="col">{t('organisations.size')}</th>
                <th scope="col">{t('organisations.place')}</th>
                <th scope="col">{t('organisations.focus')}</th>
                <th scope="col">{t('organisations.languages')}</th>
              </tr>
            </thead>
            <tbody>
              {organisations.map((o) => (
                <tr key={o.id}>
                  <th scope="row">{o.name}</th>
                  <td>{t(`kind.${o.kind}`)}</td>
                  <td className="nowrap">{t(`size.${o.sizeBand}`)}</td>
                  <td>{[o.municipality, displayName('region', o.country)].filter(Boolean).join(', ')}</td>
                  <td>{o.focus || '–'}</td>
                  <td>{o.languages.map((l) => displayName('language', l)).join(', ') || '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <AddOrganisation programmeId={programmeId} />
    </section>
  );
}
