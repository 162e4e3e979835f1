import {
  invitationRequest,
  type InvitationCreated,
  type Organisation,
  type ProgrammeMember,
  type Role,
} from '@kalaja/contracts';
import { LIMITS } from '@kalaja/contracts/limits';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type ApiError } from '../../api';
import { checked } from '../../components/checked';
import { CopyableLink } from '../../components/copyable-link';
import { ErrorNote, Field, fieldError, formValues, Loading } from '../../components/ui';
import { formatMoment } from '../../format';
import { useMembers } from '../../queries';
import { AssessorsSection } from './assessors-section';
import { ORGANISATION_ROLES, ROLES, useProgrammeContext } from './data';
import { SelectField, TableWrap } from './fields';
import { SECTION_TITLE } from './sections';

type InviteInput = { email: string; role: Role; organisationId?: string };
type Invitation = InvitationCreated;
type Member = ProgrammeMember;

/** The link of a new invitation: shown once, copied by hand into a channel the manager trusts. */
function InvitationLink({ invitation, input }: { invitation: Invitation; input: InviteInput }) {
  const { t } = useTranslation('manager');
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, [invitation.id]);
  return (
    <div className="invitation">
      <h4 ref={heading} tabIndex={-1}>
        {t('people.linkTitle', { email: input.email })}
      </h4>
      <p>{t('people.linkIntro', { role: t(`role.${input.role}`) })}</p>
      <CopyableLink
        label={t('people.link')}
        hint={t('people.expires', { date: formatMoment(invitation.expiresAt) })}
        link={invitation.link}
        copyLabel={t('people.copy')}
        copiedText={t('people.copied')}
        copyManualText={t('people.copyManual')}
        actionsClassName="actions"
      />
    </div>
  );
}

function InviteForm({ programmeId, organisations }: { programmeId: string; organisations: Organisation[] }) {
  const { t } = useTranslation('manager');
  const [role, setRole] = useState<Role | ''>('');
  const form = useRef<HTMLFormElement>(null);
  const needsOrganisation = role !== '' && ORGANISATION_ROLES.includes(role);
  const m = useMutation<Invitation, ApiError, InviteInput>({
    mutationFn: (v) => api<Invitation>('POST', '/invitations', checked(invitationRequest, { ...v, programmeId })),
    onSuccess: () => {
      form.current?.reset();
      setRole('');
    },
  });
  return (
    <>
      <form
        ref={form}
        className="stack manager-form"
        aria-labelledby="invite"
        onSubmit={(e) => {
          e.preventDefault();
          const v = formValues(e);
          if (!role) return;
          m.mutate({
            email: v.email ?? '',
            role,
            ...(needsOrganisation && v.organisationId ? { organisationId: v.organisationId } : {}),
          });
        }}
      >
        <h3 id="invite">{t('people.invite')}</h3>
        <p className="hint">{t('people.inviteIntro')}</p>
        <Field
          label={t('people.email')}
          name="email"
          type="email"
          required
          maxLength={LIMITS.email}
          autoComplete="off"
          spellCheck={false}
          error={fieldError(m.error, 'email')}
        />
        <SelectField
          label={t('people.role')}
          name="role"
          required
          value={role}
          onChange={(e) => setRole(e.target.value as Role | '')}
          error={fieldError(m.error, 'role')}
        >
          <option value="" disabled>
            {t('form.choose')}
          </option>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`role.${r}`)}
            </option>
          ))}
        </SelectField>
        {role && <p className="hint">{t(`roleHint.${role}`)}</p>}
        {needsOrganisation && (
          <SelectField
            label={t('people.organisation')}
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
        )}
        {needsOrganisation && organisations.length === 0 && (
          <p className="field-error">{t('people.noOrganisations')}</p>
        )}
        <ErrorNote error={m.error} />
        <div className="actions">
          <button type="submit" disabled={m.isPending}>
            {t('people.inviteButton')}
          </button>
        </div>
      </form>
      {m.isSuccess && m.variables && <InvitationLink invitation={m.data} input={m.variables} />}
    </>
  );
}

/** People: everyone with a role in the programme, invitations by link, and who assesses whom. */
export function Section() {
  const { programme, organisations } = useProgrammeContext();
  const members = useMembers(programme.id);
  if (members.isPending) return <Loading />;
  return (
    <>
      <ErrorNote error={members.error} />
      <PeopleSection programmeId={programme.id} members={members.data ?? []} organisations={organisations} />
      <AssessorsSection programmeId={programme.id} members={members.data ?? []} organisations={organisations} />
    </>
  );
}

/** Everyone with a role in the programme, and invitations by link. */
function PeopleSection({
  programmeId,
  members,
  organisations,
}: {
  programmeId: string;
  members: Member[];
  organisations: Organisation[];
}) {
  const { t } = useTranslation('manager');
  const orgName = new Map(organisations.map((o) => [o.id, o.name]));
  return (
    <section aria-labelledby={SECTION_TITLE}>
      <h2 id={SECTION_TITLE} tabIndex={-1}>
        {t('people.title')}
      </h2>
      {members.length === 0 ? (
        <p>{t('people.none')}</p>
      ) : (
        <TableWrap labelledBy="people-caption">
          <table>
            <caption id="people-caption" className="visually-hidden">
              {t('people.caption')}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('people.person')}</th>
                <th scope="col">{t('people.role')}</th>
                <th scope="col">{t('people.organisation')}</th>
              </tr>
            </thead>
            <tbody>
              {members.map((p) => (
                <tr key={`${p.userId}-${p.role}-${p.organisationId ?? ''}`}>
                  <th scope="row">
                    {p.displayName} <span className="muted email">{p.email}</span>
                  </th>
                  <td>{t(`role.${p.role}`)}</td>
                  <td>{p.organisationId ? (orgName.get(p.organisationId) ?? '–') : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <InviteForm programmeId={programmeId} organisations={organisations} />
    </section>
  );
}
