import {
  assessorAssignment,
  type AssessorAssignment,
  type Organisation,
  type ProgrammeMember,
} from '@kalaja/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, path, type ApiError } from '../../api';
import { checked } from '../../components/checked';
import { ErrorNote, fieldError, formValues } from '../../components/ui';
import { keys } from '../../queries';
import { SelectField, TableWrap } from './fields';

/** Which assessor reviews which organisation, and the form to assign one. */
export function AssessorsSection({
  programmeId,
  members,
  organisations,
}: {
  programmeId: string;
  members: ProgrammeMember[];
  organisations: Organisation[];
}) {
  const { t } = useTranslation('manager');
  const client = useQueryClient();
  const assessors = members.filter((m) => m.role === 'assessor');
  const orgName = new Map(organisations.map((o) => [o.id, o.name]));
  const m = useMutation<void, ApiError, AssessorAssignment>({
    mutationFn: (v) => api<void>('POST', path`/programmes/${programmeId}/assessors`, checked(assessorAssignment, v)),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.members(programmeId) }),
  });
  const who = m.variables && assessors.find((a) => a.userId === m.variables.userId);
  return (
    <section aria-labelledby="assessors">
      <h2 id="assessors" tabIndex={-1}>
        {t('assessors.title')}
      </h2>
      <p className="hint">{t('assessors.intro')}</p>
      {assessors.length === 0 ? (
        <p>
          {t('assessors.none')} <a href="#invite">{t('assessors.inviteFirst')}</a>
        </p>
      ) : (
        <>
          <TableWrap labelledBy="assessors-caption">
            <table>
              <caption id="assessors-caption" className="visually-hidden">
                {t('assessors.caption')}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('assessors.assessor')}</th>
                  <th scope="col">{t('assessors.organisations')}</th>
                </tr>
              </thead>
              <tbody>
                {assessors.map((a) => (
                  <tr key={a.userId}>
                    <th scope="row">
                      {a.displayName} <span className="muted email">{a.email}</span>
                    </th>
                    <td>
                      {a.assignedOrganisations.length === 0 ? (
                        <span className="muted">{t('assessors.noneAssigned')}</span>
                      ) : (
                        <ul className="inline-list">
                          {a.assignedOrganisations.map((id) => (
                            <li key={id}>{orgName.get(id) ?? '–'}</li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          <form
            className="stack manager-form"
            aria-labelledby="assign"
            onSubmit={(e) => {
              e.preventDefault();
              const v = formValues(e);
              m.mutate({ userId: v.userId ?? '', organisationId: v.organisationId ?? '' });
            }}
          >
            <h3 id="assign">{t('assessors.assign')}</h3>
            <SelectField
              label={t('assessors.assessor')}
              name="userId"
              required
              defaultValue=""
              error={fieldError(m.error, 'userId')}
            >
              <option value="" disabled>
                {t('form.choose')}
              </option>
              {assessors.map((a) => (
                <option key={a.userId} value={a.userId}>
                  {a.displayName} ({a.email})
                </option>
              ))}
            </SelectField>
            <SelectField
              label={t('assessors.organisation')}
              name="organisationId"
              required
              defaultValue=""
              error={fieldError(m.error, 'organisationId')}
            >
              <option value="" disabled>
                {t('form.choose')}
              </option>
              {organisations.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </SelectField>
            <ErrorNote error={m.error} />
            {m.isSuccess && who && (
              <p className="success" role="status">
                {t('assessors.assigned', {
                  name: who.displayName,
                  organisation: orgName.get(m.variables.organisationId) ?? '',
                })}
              </p>
            )}
            <div className="actions">
              <button type="submit" disabled={m.isPending || organisations.length === 0}>
                {t('assessors.assignButton')}
              </button>
            </div>
          </form>
        </>
      )}
    </section>
  );
}
