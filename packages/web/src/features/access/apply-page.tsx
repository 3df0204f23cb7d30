import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Form,
  type FormRule,
  Input,
  Radio,
  Select,
  Space,
  Steps,
} from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import type { SessionUser } from '../../api/types.ts';
import { PageLoading } from '../../app/status-pages.tsx';
import { CheckboxGroupField } from '../../components/checkbox-group-field.tsx';
import { formatDate } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { useSession } from '../auth/session.ts';
import { Badge, GradeBadge } from '../catalog/badges.tsx';
import { useCatalogApi } from '../catalog/catalog-api.ts';
import type { EntryDetail, InformationItem, Institution } from '../catalog/catalog-types.ts';
import { localized } from '../catalog/localized.ts';
import { useInstitutions } from '../catalog/use-catalog-data.ts';
import { ACCESS_KEY, useAccessApi } from './access-api.ts';
import { OperationsText } from './access-badges.tsx';
import { isInstitutionMember } from './access-roles.ts';
import { APPLICANT_KINDS, type ApplicationKind, OPERATIONS, type Terms } from './access-types.ts';
import {
  APPLY_STEPS,
  type ApplyField,
  type ApplyValues,
  applicantOrganizations,
  applicationRequest,
  availableKinds,
  fieldProblem,
  initialApplyValues,
  MAX_PERIOD_DAYS,
  mayChooseOrganization,
  needsCreditCode,
  needsOrganization,
  placeServerProblems,
  STEP_FIELDS,
  stepOf,
} from './apply-form.ts';
import '../catalog/catalog.css';

const FORM_NAME = 'apply';

interface ApplyFormProps {
  detail: EntryDetail;
  kinds: ApplicationKind[];
  initialKind: ApplicationKind;
  user: SessionUser;
  institutions: Institution[] | undefined;
  terms: Terms | undefined;
  termsError: unknown;
}

function FieldOption({ item }: { item: InformationItem }) {
  const { t, i18n } = useTranslation();
  const title = item.title ? localized(item.title, i18n.language) : undefined;
  return (
    <span style={{ display: 'inline-flex', flexWrap: 'wrap', gap: 6, alignItems: 'center' }}>
      <code>{item.name}</code>
      {title?.text ? <span lang={title.lang}>{title.text}</span> : null}
      <GradeBadge value={item.grade} />
      {item.personalInfo === 'none' ? null : (
        <Badge
          text={t(
            item.personalInfo === 'sensitive' ? 'access.apply.sensitiveInfo' : 'access.apply.personalInfo',
          )}
          tone="orange"
        />
      )}
    </span>
  );
}

function Summary({
  entry,
  values,
  acceptTerms,
  formError,
}: {
  entry: EntryDetail['entry'];
  values: ApplyValues;
  acceptTerms: boolean;
  formError: unknown;
}) {
  const { t, i18n } = useTranslation();
  return (
    <div>
      <table className="dp-kv" data-testid="apply-summary" style={{ marginBottom: 16 }}>
        <caption>{t('access.apply.summaryCaption')}</caption>
        <tbody>
          <tr>
            <th scope="row">{t('access.fields.entry')}</th>
            <td>
              <span lang={localized(entry.metadata.title, i18n.language).lang}>
                {localized(entry.metadata.title, i18n.language).text}
              </span>{' '}
              <span className="dp-code">{entry.code}</span>
            </td>
          </tr>
          <tr>
            <th scope="row">{t('access.fields.kind')}</th>
            <td>{t(`access.kinds.${values.kind}`)}</td>
          </tr>
          <tr>
            <th scope="row">{t('access.fields.applicant')}</th>
            <td>
              {t(`access.applicantKinds.${values.applicantKind}`)}
              {t('common.labelSeparator')}
              {values.applicantName}
              {values.creditCode ? <span className="dp-mono"> ({values.creditCode})</span> : null}
            </td>
          </tr>
          <tr>
            <th scope="row">{t('access.fields.purpose')}</th>
            <td style={{ whiteSpace: 'pre-line' }}>{values.purpose || '—'}</td>
          </tr>
          <tr>
            <th scope="row">{t('access.fields.scenario')}</th>
            <td style={{ whiteSpace: 'pre-line' }}>{values.scenario || '—'}</td>
          </tr>
          <tr>
            <th scope="row">{t('access.fields.fields')}</th>
            <td>{values.fields?.length ? values.fields.join(t('common.listSeparator')) : '—'}</td>
          </tr>
          <tr>
            <th scope="row">{t('access.fields.operations')}</th>
            <td>
              <OperationsText operations={values.operations ?? []} />
            </td>
          </tr>
          <tr>
            <th scope="row">{t('access.fields.period')}</th>
            <td>
              {t('access.period', {
                start: formatDate(values.periodStart, i18n.language),
                end: formatDate(values.periodEnd, i18n.language),
              })}
            </td>
          </tr>
          <tr>
            <th scope="row">{t('access.fields.securityMeasures')}</th>
            <td style={{ whiteSpace: 'pre-line' }}>{values.securityMeasures || '—'}</td>
          </tr>
          <tr>
            <th scope="row">{t('access.fields.terms')}</th>
            <td>{acceptTerms ? t('access.apply.termsAccepted') : t('access.apply.termsNotAccepted')}</td>
          </tr>
        </tbody>
      </table>
      {entry.metadata.grade === 'important' ? (
        <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('access.apply.centreNotice')} />
      ) : null}
      {formError ? <ProblemAlert error={formError} /> : null}
    </div>
  );
}

/** Focuses a field by its form id; for a group of checkboxes or radios, its first control. */
function focusField(name: string): void {
  const element = document.getElementById(`${FORM_NAME}_${name}`);
  if (!element) return;
  const target = element.matches('input, textarea, button, [tabindex]')
    ? element
    : element.querySelector<HTMLElement>('input, textarea, button, [tabindex]');
  target?.scrollIntoView({ block: 'center' });
  target?.focus();
}

function ApplyForm({ detail, kinds, initialKind, user, institutions, terms, termsError }: ApplyFormProps) {
  const { t, i18n } = useTranslation();
  const api = useAccessApi();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<ApplyValues>();
  const [step, setStep] = useState(0);
  const [formError, setFormError] = useState<unknown>();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);
  const entry = detail.entry;
  const items = entry.metadata.informationItems;
  const initial = useMemo(() => initialApplyValues(initialKind, user.displayName), [initialKind, user]);

  // Only the current step's fields are mounted; `preserve` reads the others' values from the store.
  const kind = Form.useWatch('kind', { form, preserve: true }) ?? initial.kind;
  const applicantKind = Form.useWatch('applicantKind', { form, preserve: true }) ?? initial.applicantKind;
  const acceptTerms = Form.useWatch('acceptTerms', { form, preserve: true }) ?? false;
  // Messages for fields of other steps wait until their step is shown (an unmounted field keeps none).
  const [pending, setPending] = useState<{ name: ApplyField; errors: string[] }[]>([]);
  const institutionIds = useMemo(
    () =>
      institutions === undefined
        ? undefined
        : new Set(institutions.filter((o) => o.kind === 'institution').map((o) => o.id)),
    [institutions],
  );
  const organizations = applicantOrganizations(user.memberships, institutionIds, kind, applicantKind);

  // Each step starts at its heading, so keyboard and screen-reader users land on the new content.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each step change
  useEffect(() => {
    if (!moved.current) return;
    headingRef.current?.focus();
  }, [step]);

  useEffect(() => {
    const here = STEP_FIELDS[APPLY_STEPS[step] ?? 'summary'];
    const now = pending.filter((p) => here.includes(p.name));
    if (now.length === 0) return;
    // Once the step's fields are mounted for good (development mounts them twice).
    const timer = setTimeout(() => {
      form.setFields(now);
      setPending((all) => all.filter((p) => !here.includes(p.name)));
      const first = now[0]?.name;
      if (first !== undefined) focusField(first);
    }, 0);
    return () => clearTimeout(timer);
  }, [step, pending, form]);

  /** Shows messages on their fields, moving to the step of the first. */
  const showProblems = (problems: { name: ApplyField; errors: string[] }[]) => {
    const first = problems[0]?.name;
    if (first === undefined) return;
    setPending(problems);
    goTo(APPLY_STEPS.indexOf(stepOf(first)));
  };

  const goTo = (index: number) => {
    moved.current = true;
    setStep(index);
  };

  const rule =
    (field: ApplyField): FormRule =>
    () => ({
      validator: async () => {
        const key = fieldProblem(field, form.getFieldsValue(true) as ApplyValues);
        if (key !== undefined) throw new Error(t(`access.apply.invalid.${key}`, { max: MAX_PERIOD_DAYS }));
      },
    });

  const submit = useMutation({
    mutationFn: api.apply,
    onSuccess: (application) => {
      void message.success(t('access.apply.submitted'));
      void queryClient.invalidateQueries({ queryKey: ACCESS_KEY });
      navigate(`/access/applications/${encodeURIComponent(application.id)}`);
    },
    onError: (error) => {
      if (!(error instanceof ApiError) || error.status >= 500 || error.status === 401) {
        setFormError(error);
        return;
      }
      const placed = placeServerProblems(error);
      setFormError(placed.some((p) => p.field === undefined) ? error : undefined);
      showProblems(
        placed.flatMap((p) => (p.field === undefined ? [] : [{ name: p.field, errors: [p.message] }])),
      );
    },
  });

  const send = () => {
    setFormError(undefined);
    const values = form.getFieldsValue(true) as ApplyValues;
    const built = applicationRequest(entry.code, values, terms?.version);
    if (built.request === undefined) {
      showProblems(
        built.problems.map((p) => ({
          name: p.field,
          errors: [t(`access.apply.invalid.${p.key}`, { max: MAX_PERIOD_DAYS })],
        })),
      );
      return;
    }
    submit.mutate(built.request);
  };

  const current = APPLY_STEPS[step] ?? 'summary';
  const termsText = terms ? localized(terms.text, i18n.language) : undefined;
  const org = (id: string | undefined) => user.memberships.find((m) => m.organizationId === id);
  const pickOrganization = (id: string) => {
    const membership = org(id);
    const institution = institutions?.find((o) => o.id === id);
    form.setFieldsValue({
      applicantName: membership?.organizationName ?? form.getFieldValue('applicantName'),
      ...(institution?.creditCode ? { creditCode: institution.creditCode } : {}),
    });
  };

  return (
    <Card>
      <Steps
        current={step}
        size="small"
        style={{ marginBottom: 24 }}
        items={APPLY_STEPS.map((s) => ({ title: t(`access.apply.steps.${s}`) }))}
      />
      <h2 ref={headingRef} tabIndex={-1} style={{ fontSize: 20, margin: '0 0 16px' }}>
        {t('access.apply.stepHeading', {
          number: step + 1,
          total: APPLY_STEPS.length,
          name: t(`access.apply.steps.${current}`),
        })}
      </h2>
      <Form<ApplyValues>
        form={form}
        name={FORM_NAME}
        layout="vertical"
        initialValues={initial}
        onValuesChange={(changed) => {
          if ('applicantKind' in changed && !mayChooseOrganization(changed.applicantKind as never))
            form.setFieldsValue({
              organizationId: undefined,
              creditCode: undefined,
              applicantName: user.displayName,
            });
          if ('kind' in changed && changed.kind === 'share')
            form.setFieldsValue({ applicantKind: 'institution' });
        }}
        // Enter or "Next" checks the fields of this step only: the others are not mounted.
        onFinish={() => (current === 'summary' ? send() : goTo(step + 1))}
        onFinishFailed={({ errorFields }) => {
          const name = errorFields[0]?.name[0];
          if (name !== undefined) focusField(String(name));
        }}
      >
        {current === 'applicant' ? (
          <div>
            {kinds.length > 1 ? (
              <Form.Item label={t('access.fields.kind')} name="kind" required rules={[rule('kind')]}>
                <Radio.Group
                  aria-label={t('access.fields.kind')}
                  options={kinds.map((k) => ({ value: k, label: t(`access.kinds.${k}`) }))}
                />
              </Form.Item>
            ) : (
              <p>
                {t('access.fields.kind')}
                {t('common.labelSeparator')}
                <strong>{t(`access.kinds.${kind}`)}</strong>
              </p>
            )}
            <Form.Item
              label={t('access.fields.applicantKind')}
              name="applicantKind"
              required
              rules={[rule('applicantKind')]}
              dependencies={['kind']}
              extra={kind === 'share' ? t('access.apply.shareInstitutionsOnly') : undefined}
            >
              <Radio.Group
                aria-label={t('access.fields.applicantKind')}
                options={APPLICANT_KINDS.map((k) => ({
                  value: k,
                  label: t(`access.applicantKinds.${k}`),
                  disabled: kind === 'share' && k !== 'institution',
                }))}
              />
            </Form.Item>
            {mayChooseOrganization(applicantKind) ? (
              <Form.Item
                label={t('access.fields.organization')}
                name="organizationId"
                required={needsOrganization(applicantKind)}
                rules={[rule('organizationId')]}
                dependencies={['applicantKind']}
                extra={
                  organizations.length === 0
                    ? t('access.apply.noOrganizations')
                    : t('access.apply.organizationHelp')
                }
              >
                <Select
                  allowClear
                  style={{ maxWidth: 480 }}
                  onChange={(id: string | undefined) => (id ? pickOrganization(id) : undefined)}
                  options={organizations.map((m) => ({ value: m.organizationId, label: m.organizationName }))}
                />
              </Form.Item>
            ) : null}
            <Form.Item
              label={t(
                applicantKind === 'individual'
                  ? 'access.fields.personName'
                  : 'access.fields.organizationName',
              )}
              name="applicantName"
              required
              rules={[rule('applicantName')]}
            >
              <Input
                maxLength={200}
                autoComplete={applicantKind === 'individual' ? 'name' : 'organization'}
              />
            </Form.Item>
            {applicantKind === 'individual' ? null : (
              <Form.Item
                label={t('access.fields.creditCode')}
                name="creditCode"
                required={needsCreditCode(applicantKind)}
                rules={[rule('creditCode')]}
                dependencies={['applicantKind']}
                extra={t('access.apply.creditCodeHelp')}
              >
                <Input maxLength={18} className="dp-mono" style={{ maxWidth: 280 }} />
              </Form.Item>
            )}
          </div>
        ) : null}

        {current === 'purpose' ? (
          <div>
            <Form.Item
              label={t('access.fields.purpose')}
              name="purpose"
              required
              rules={[rule('purpose')]}
              extra={t('access.apply.purposeHelp')}
            >
              <Input.TextArea rows={4} maxLength={4000} />
            </Form.Item>
            <Form.Item
              label={t('access.fields.scenario')}
              name="scenario"
              required
              rules={[rule('scenario')]}
              extra={t('access.apply.scenarioHelp')}
            >
              <Input.TextArea rows={4} maxLength={4000} />
            </Form.Item>
          </div>
        ) : null}

        {current === 'data' ? (
          <div>
            <Form.Item
              label={t('access.fields.fields')}
              name="fields"
              required
              rules={[rule('fields')]}
              extra={t('access.apply.fieldsHelp')}
            >
              <CheckboxGroupField
                label={t('access.fields.fields')}
                options={items.map((item) => ({ value: item.name, label: <FieldOption item={item} /> }))}
              />
            </Form.Item>
            <Space style={{ marginBottom: 16 }} wrap>
              <Button size="small" onClick={() => form.setFieldsValue({ fields: items.map((i) => i.name) })}>
                {t('access.apply.selectAllFields')}
              </Button>
              <Button size="small" onClick={() => form.setFieldsValue({ fields: [] })}>
                {t('access.apply.clearFields')}
              </Button>
            </Space>
            <Form.Item
              label={t('access.fields.operations')}
              name="operations"
              required
              rules={[rule('operations')]}
            >
              <CheckboxGroupField
                label={t('access.fields.operations')}
                options={OPERATIONS.map((o) => ({
                  value: o,
                  label: (
                    <span>
                      {t(`access.operations.${o}`)}
                      <span className="dp-meta-line"> — {t(`access.operationHelp.${o}`)}</span>
                    </span>
                  ),
                }))}
              />
            </Form.Item>
            <Space wrap size="large" align="start">
              <Form.Item
                label={t('access.fields.periodStart')}
                name="periodStart"
                required
                rules={[rule('periodStart')]}
              >
                <Input type="date" />
              </Form.Item>
              <Form.Item
                label={t('access.fields.periodEnd')}
                name="periodEnd"
                required
                rules={[rule('periodEnd')]}
                dependencies={['periodStart']}
                extra={t('access.apply.periodHelp', { max: MAX_PERIOD_DAYS })}
              >
                <Input type="date" />
              </Form.Item>
            </Space>
          </div>
        ) : null}

        {current === 'security' ? (
          <div>
            <Form.Item
              label={t('access.fields.securityMeasures')}
              name="securityMeasures"
              required
              rules={[rule('securityMeasures')]}
              extra={t('access.apply.securityHelp')}
            >
              <Input.TextArea rows={6} maxLength={8000} />
            </Form.Item>
          </div>
        ) : null}

        {current === 'terms' ? (
          <div>
            {termsError ? <ProblemAlert error={termsError} /> : null}
            {terms && termsText ? (
              <>
                <p className="dp-meta-line">{t('access.apply.termsVersion', { version: terms.version })}</p>
                {/* Focusable (as TableRegion does) so the agreement can be scrolled with the keyboard. */}
                <section
                  {...{ tabIndex: 0 }}
                  aria-label={t('access.apply.termsTitle')}
                  lang={termsText.lang}
                  className="dp-pre"
                  data-testid="terms-text"
                  style={{ maxHeight: 320, overflowY: 'auto', marginBottom: 16, wordBreak: 'normal' }}
                >
                  {termsText.text}
                </section>
              </>
            ) : null}
            <Form.Item name="acceptTerms" valuePropName="checked" rules={[rule('acceptTerms')]}>
              <Checkbox>{t('access.apply.acceptTerms')}</Checkbox>
            </Form.Item>
          </div>
        ) : null}

        {current === 'summary' ? (
          <Summary
            entry={entry}
            values={form.getFieldsValue(true) as ApplyValues}
            acceptTerms={acceptTerms}
            formError={formError}
          />
        ) : null}

        <Space wrap style={{ marginTop: 8 }}>
          {step > 0 ? <Button onClick={() => goTo(step - 1)}>{t('access.apply.back')}</Button> : null}
          {current === 'summary' ? (
            <Button type="primary" htmlType="submit" loading={submit.isPending} disabled={!acceptTerms}>
              {t('access.apply.submit')}
            </Button>
          ) : (
            <Button type="primary" htmlType="submit">
              {t('access.apply.next')}
            </Button>
          )}
          <Link to={`/catalog/entries/${encodeURIComponent(entry.code)}`}>{t('common.cancel')}</Link>
        </Space>
        {current === 'summary' && !acceptTerms ? (
          <p className="dp-meta-line" style={{ marginTop: 8 }}>
            {t('access.apply.acceptFirst')}
          </p>
        ) : null}
      </Form>
    </Card>
  );
}

/** The guided application for conditional access to one catalog entry (Art. 17, 18). */
export function ApplyPage() {
  const { t, i18n } = useTranslation();
  const { code = '' } = useParams();
  const [params] = useSearchParams();
  const catalog = useCatalogApi();
  const api = useAccessApi();
  const { data: session } = useSession();
  const institutions = useInstitutions();
  const detail = useQuery({
    queryKey: ['catalog', 'entry', code],
    queryFn: ({ signal }) => catalog.entry(code, signal),
  });
  const terms = useQuery({
    queryKey: [...ACCESS_KEY, 'terms'],
    queryFn: ({ signal }) => api.terms(signal),
    staleTime: 10 * 60_000,
  });
  const user = session?.authenticated ? session.user : undefined;

  if (detail.isPending || user === undefined) return <PageLoading />;
  if (detail.error) {
    return (
      <>
        <PageHeader title={t('access.apply.title')} />
        <ProblemAlert error={detail.error} />
      </>
    );
  }
  const metadata = detail.data.entry.metadata;
  const title = localized(metadata.title, i18n.language);
  const kinds = availableKinds(metadata, isInstitutionMember(user, institutions.data));
  const asked = params.get('kind');
  const initialKind = kinds.find((k) => k === asked) ?? kinds[0];

  return (
    <>
      <PageHeader
        title={t('access.apply.titleFor', { title: title.text || detail.data.entry.code })}
        description={t('access.apply.intro')}
      />
      <p>
        <Link to={`/catalog/entries/${encodeURIComponent(detail.data.entry.code)}`}>
          {t('access.backToEntry')}
        </Link>
      </p>
      {initialKind === undefined ? (
        <Alert type="warning" showIcon title={t('access.apply.notAvailable')} />
      ) : (
        <ApplyForm
          detail={detail.data}
          kinds={kinds}
          initialKind={initialKind}
          user={user}
          institutions={institutions.data}
          terms={terms.data}
          termsError={terms.error}
        />
      )}
    </>
  );
}
