import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Form,
  type FormInstance,
  Input,
  Radio,
  Row,
  Select,
  Space,
} from 'antd';
import { type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { PageLoading } from '../../app/status-pages.tsx';
import { usePageTitle } from '../../app/use-page-title.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { useSession } from '../auth/session.ts';
import { useResourceSecurityApi } from '../security-resources/resources-api.ts';
import { latestProposals } from '../security-resources/scan-proposals.ts';
import { GradeBadge } from './badges.tsx';
import { ButtonLink } from './button-link.tsx';
import { isVersionConflict, useCatalogApi } from './catalog-api.ts';
import {
  CLASSIFICATIONS,
  type EntryDetail,
  type EntryMetadata,
  GRADES,
  type Institution,
  OPEN_TYPES,
  SHARE_TYPES,
  UPDATE_CYCLES,
} from './catalog-types.ts';
import { DistributionsEditor } from './distributions-editor.tsx';
import { type ListField, placeErrors } from './editor-fields.ts';
import { useChangeLabel } from './entry-history.tsx';
import { ExtrasEditor, extraRules } from './extras-editor.tsx';
import { derivedGrade, gradeRank, isGrade } from './grade.ts';
import { InformationItemsEditor } from './information-items-editor.tsx';
import { localized, organizationName, type Shown } from './localized.ts';
import { type EditorValues, editorValuesOf, metadataOf, newEntryValues } from './metadata-form.ts';
import type { FieldPath } from './problem-paths.ts';
import { editableInstitutions, useInstitutions, useLabels, useProfile } from './use-catalog-data.ts';
import { useLeaveGuard } from './use-leave-guard.ts';
import { useLiveValidation } from './use-live-validation.ts';
import './catalog.css';

const FORM_NAME = 'entry';

// Server paths are matched to the editor's fields at run time (editor-fields.ts), not by type.
type AnyName = Parameters<FormInstance<EditorValues>['isFieldTouched']>[0];
const asName = (path: FieldPath) => path as unknown as AnyName;

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <Card
      className="dp-editor-section"
      title={
        <h2 id={id} style={{ margin: 0, fontSize: 18 }}>
          {title}
        </h2>
      }
    >
      <section aria-labelledby={id}>{children}</section>
    </Card>
  );
}

interface EditorProps {
  mode: 'create' | 'edit';
  code?: string;
  /** The version the edit starts from, sent back so a concurrent save is detected. */
  version?: number;
  initial: EditorValues;
  institutions: Institution[];
  detail?: EntryDetail;
  onReload?: () => void;
}

function EntryEditor({ mode, code, version, initial, institutions, detail, onReload }: EditorProps) {
  const { t, i18n } = useTranslation();
  const api = useCatalogApi();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<EditorValues>();
  const live = useLiveValidation(api);
  const profile = useProfile().data;
  const { code: label } = useLabels();
  const changeLabel = useChangeLabel();
  // Messages show on the fields the user has touched, and on all of them once they try to save or when
  // they reopen an existing entry (which should meet the standard already).
  const [submitted, setSubmitted] = useState(mode === 'edit');
  const [focusFirst, setFocusFirst] = useState(false);
  const [dirty, setDirty] = useState(false);
  const guard = useLeaveGuard(dirty);
  const summaryRef = useRef<HTMLDivElement>(null);
  const shown = useRef(new Map<string, FieldPath>());

  // The scanner's proposals for this entry's fields, when its tables were scanned and the reader may see them.
  const securityApi = useResourceSecurityApi();
  const scans = useQuery({
    queryKey: ['security', 'scans', 'entry', code],
    queryFn: ({ signal }) => securityApi.scansOfEntry(code!, signal),
    enabled: mode === 'edit' && code !== undefined,
    retry: false,
  });
  const proposals = useMemo(
    () => (scans.data === undefined ? undefined : latestProposals(scans.data.items)),
    [scans.data],
  );

  const shareType = Form.useWatch('shareType', form);
  const openType = Form.useWatch('openType', form);
  const items = Form.useWatch('informationItems', form);
  const distributions = Form.useWatch('distributions', form);
  const declared = Form.useWatch('grade', form);
  const itemCount = items?.length ?? initial.informationItems?.length ?? 0;
  const distributionCount = distributions?.length ?? initial.distributions?.length ?? 0;

  const extras = useMemo(() => extraRules(profile?.rules), [profile]);
  const placed = useMemo(
    () =>
      placeErrors(
        live.errors,
        { informationItems: itemCount, distributions: distributionCount },
        extras.map((r) => r.path.slice('extras.'.length)),
      ),
    [live.errors, itemCount, distributionCount, extras],
  );
  const listError = (list: ListField) =>
    placed.find((p) => p.place.kind === 'list' && p.place.list === list)?.message;

  useEffect(() => {
    const next = new Map<string, { path: FieldPath; message: string }>();
    for (const p of placed) {
      if (p.place.kind !== 'field') continue;
      if (submitted || form.isFieldTouched(asName(p.place.path)))
        next.set(p.key, { path: p.place.path, message: p.message });
    }
    const updates: { name: AnyName; errors: string[] }[] = [];
    for (const [key, path] of shown.current)
      if (!next.has(key)) updates.push({ name: asName(path), errors: [] });
    for (const { path, message: text } of next.values()) updates.push({ name: asName(path), errors: [text] });
    if (updates.length > 0) form.setFields(updates);
    shown.current = new Map([...next].map(([key, v]) => [key, v.path]));
    if (focusFirst) {
      setFocusFirst(false);
      const first = placed.find((p) => p.place.kind === 'field');
      if (first?.place.kind === 'field')
        form.scrollToField(asName(first.place.path), { focus: true, block: 'center' });
      else summaryRef.current?.focus();
    }
  }, [placed, submitted, form, focusFirst]);

  // A reopened entry is checked at once, so reviewers' and the standard's concerns show before editing.
  useEffect(() => {
    if (mode === 'edit') void live.checkNow(metadataOf(initial));
  }, [mode, initial, live.checkNow]);

  const save = useMutation({
    mutationFn: (metadata: EntryMetadata) =>
      mode === 'create' ? api.create(metadata) : api.update(code!, metadata, version!),
    onSuccess: (record) => {
      void message.success(t('catalog.editor.saved', { version: record.version }));
      void queryClient.invalidateQueries({ queryKey: ['catalog'] });
      guard.allow();
      navigate(`/catalog/entries/${encodeURIComponent(record.code)}`);
    },
    onError: (error, metadata) => {
      if (error instanceof ApiError && error.status === 400 && error.errors.length > 0) {
        live.adopt(metadata, error);
        setFocusFirst(true);
      }
    },
  });

  const requiredPaths = useMemo(() => {
    const watched: Record<string, unknown> = { shareType, openType };
    const paths = new Set<string>();
    for (const rule of profile?.rules ?? []) {
      if (rule.required) paths.add(rule.path);
      const when = rule.requiredWhen;
      if (when === undefined) continue;
      const current = watched[when.path] ?? form.getFieldValue(asName(when.path.split('.')));
      if (when.values.includes(String(current))) paths.add(rule.path);
    }
    return paths;
  }, [profile, shareType, openType, form]);
  const required = (path: string) => requiredPaths.has(path);

  const options = (list: string, codes: readonly string[]) =>
    codes.map((c) => ({ value: c, label: label(list, c) }));
  const listOptions = (list: string) =>
    (profile?.codeLists[list] ?? []).map((item) => ({ value: item.code, label: label(list, item.code) }));
  const knownLicenses = listOptions('licenses');
  const licenseOptions =
    initial.license && !knownLicenses.some((o) => o.value === initial.license)
      ? [...knownLicenses, { value: initial.license, label: initial.license }]
      : knownLicenses;

  const saved = isGrade(declared) ? derivedGrade(declared, items ?? []) : undefined;
  const raised = saved !== undefined && isGrade(declared) && gradeRank(saved) < gradeRank(declared);
  const problems = placed.length;
  const quality = live.result?.quality.score;

  // The live region announces results only; "checking" shows on screen without being read out each time.
  const statusText =
    live.settled === 'valid'
      ? t('catalog.editor.status.valid')
      : live.settled === 'invalid'
        ? t('catalog.editor.status.invalid', { count: problems })
        : live.settled === 'failed'
          ? t('catalog.editor.status.failed')
          : t('catalog.editor.status.idle');

  return (
    <Form<EditorValues>
      form={form}
      name={FORM_NAME}
      layout="vertical"
      initialValues={initial}
      onValuesChange={(changed: Partial<EditorValues>) => {
        setDirty(true);
        if (changed.organizationId !== undefined) {
          const org = institutions.find((o) => o.id === changed.organizationId);
          if (org) form.setFieldValue('providerCreditCode', org.creditCode);
        }
        live.schedule(metadataOf(form.getFieldsValue(true)));
      }}
      onFinish={() => {
        setSubmitted(true);
        save.mutate(metadataOf(form.getFieldsValue(true)));
      }}
    >
      <div className="dp-editor-layout">
        <div>
          {detail?.returned ? (
            <Alert
              style={{ marginBottom: 20 }}
              type="warning"
              showIcon
              title={t('catalog.editor.returnedTitle')}
              description={[detail.returned.comment, detail.returned.entryComment]
                .filter(Boolean)
                .join(' — ')}
            />
          ) : null}
          <Section id="editor-basic" title={t('catalog.editor.sections.basic')}>
            <Row gutter={16}>
              <Col xs={24} md={12}>
                <Form.Item label={t('catalog.fields.provider')} name="organizationId" required>
                  <Select
                    disabled={mode === 'edit'}
                    showSearch={{ optionFilterProp: 'label' }}
                    options={institutions.map((o) => ({
                      value: o.id,
                      label: organizationName(o, i18n.language).text,
                    }))}
                  />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item
                  label={t('catalog.fields.providerCreditCode')}
                  name="providerCreditCode"
                  required={required('providerCreditCode')}
                  extra={t('catalog.editor.creditCodeHelp')}
                >
                  <Input className="dp-mono" autoComplete="off" maxLength={18} />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item
                  label={t('catalog.fields.code')}
                  name="code"
                  extra={mode === 'create' ? t('catalog.editor.codeHelp') : undefined}
                >
                  <Input className="dp-mono" autoComplete="off" disabled={mode === 'edit'} maxLength={40} />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item
              label={t('catalog.fields.title_zh')}
              name={['title', 'zh']}
              required={required('title.zh')}
            >
              <Input lang="zh-CN" maxLength={200} />
            </Form.Item>
            <Row gutter={16}>
              <Col xs={24} md={12}>
                <Form.Item
                  label={t('catalog.fields.title_en')}
                  name={['title', 'en']}
                  required={required('title.en')}
                >
                  <Input lang="en" maxLength={300} />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item
                  label={t('catalog.fields.title_fr')}
                  name={['title', 'fr']}
                  required={required('title.fr')}
                >
                  <Input lang="fr" maxLength={300} />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item
              label={t('catalog.fields.summary_zh')}
              name={['summary', 'zh']}
              required={required('summary.zh')}
            >
              <Input.TextArea lang="zh-CN" rows={4} maxLength={4000} showCount />
            </Form.Item>
            <Form.Item
              label={t('catalog.fields.summary_en')}
              name={['summary', 'en']}
              required={required('summary.en')}
            >
              <Input.TextArea lang="en" rows={3} />
            </Form.Item>
            <Form.Item
              label={t('catalog.fields.summary_fr')}
              name={['summary', 'fr']}
              required={required('summary.fr')}
            >
              <Input.TextArea lang="fr" rows={3} />
            </Form.Item>
          </Section>

          <Section id="editor-classification" title={t('catalog.editor.sections.classification')}>
            <Row gutter={16}>
              <Col xs={24} md={12}>
                <Form.Item
                  label={t('catalog.fields.classification')}
                  name="classification"
                  required={required('classification')}
                >
                  <Select options={options('classifications', CLASSIFICATIONS)} />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item label={t('catalog.fields.theme')} name="theme" required={required('theme')}>
                  <Select showSearch={{ optionFilterProp: 'label' }} options={listOptions('themes')} />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item
              label={t('catalog.fields.keywords')}
              name="keywords"
              required={required('keywords')}
              extra={t('catalog.editor.keywordsHelp')}
            >
              <Select mode="tags" tokenSeparators={[',', '，', ';', '；']} open={false} suffixIcon={null} />
            </Form.Item>
            <Form.Item label={t('catalog.fields.formats')} name="formats" required={required('formats')}>
              <Select
                mode="multiple"
                showSearch={{ optionFilterProp: 'label' }}
                options={listOptions('formats')}
              />
            </Form.Item>
            <Form.Item
              label={t('catalog.fields.relatedCodes')}
              name="relatedCodes"
              extra={t('catalog.editor.relatedCodesHelp')}
            >
              <Select mode="tags" tokenSeparators={[',', ' ']} open={false} suffixIcon={null} />
            </Form.Item>
          </Section>

          <Section id="editor-items" title={t('catalog.entry.itemsTitle')}>
            <p style={{ marginTop: 0 }}>{t('catalog.editor.itemsIntro')}</p>
            <InformationItemsEditor
              formName={FORM_NAME}
              listError={listError('informationItems')}
              proposals={proposals}
              onAccept={() => setDirty(true)}
            />
          </Section>

          <Section id="editor-sharing" title={t('catalog.editor.sections.sharing')}>
            <Form.Item
              label={t('catalog.fields.shareType')}
              name="shareType"
              required={required('shareType')}
            >
              <Radio.Group
                aria-label={t('catalog.fields.shareType')}
                options={options('shareTypes', SHARE_TYPES)}
              />
            </Form.Item>
            {shareType === 'conditional' ? (
              <Form.Item
                label={t('catalog.fields.shareCondition')}
                name="shareCondition"
                required={required('shareCondition')}
              >
                <Input.TextArea rows={3} maxLength={2000} />
              </Form.Item>
            ) : null}
            <Form.Item label={t('catalog.fields.shareMethod')} name="shareMethod">
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item label={t('catalog.fields.openType')} name="openType" required={required('openType')}>
              <Radio.Group
                aria-label={t('catalog.fields.openType')}
                options={options('openTypes', OPEN_TYPES)}
              />
            </Form.Item>
            {openType === 'conditional' ? (
              <Form.Item
                label={t('catalog.fields.openCondition')}
                name="openCondition"
                required={required('openCondition')}
              >
                <Input.TextArea rows={3} maxLength={2000} />
              </Form.Item>
            ) : null}
          </Section>

          <Section id="editor-updates" title={t('catalog.editor.sections.updates')}>
            <Row gutter={16}>
              <Col xs={24} md={8}>
                <Form.Item
                  label={t('catalog.fields.updateCycle')}
                  name="updateCycle"
                  required={required('updateCycle')}
                >
                  <Select options={options('updateCycles', UPDATE_CYCLES)} />
                </Form.Item>
              </Col>
              <Col xs={24} md={8}>
                <Form.Item label={t('catalog.fields.releaseDate')} name="releaseDate">
                  <Input type="date" />
                </Form.Item>
              </Col>
              <Col xs={24} md={8}>
                <Form.Item label={t('catalog.fields.lastUpdate')} name="lastUpdate">
                  <Input type="date" />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item label={t('catalog.fields.license')} name="license">
                  <Select allowClear options={licenseOptions} />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item label={t('catalog.fields.spatialCoverage')} name="spatialCoverage">
                  <Input maxLength={200} />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item label={t('catalog.fields.temporalStart')} name={['temporalCoverage', 'start']}>
                  <Input type="date" />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item label={t('catalog.fields.temporalEnd')} name={['temporalCoverage', 'end']}>
                  <Input type="date" />
                </Form.Item>
              </Col>
            </Row>
            <fieldset style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
              <legend style={{ fontSize: 16, fontWeight: 600, border: 0, marginBottom: 8 }}>
                {t('catalog.fields.contactPoint')}
              </legend>
              <Row gutter={16}>
                <Col xs={24} md={8}>
                  <Form.Item label={t('catalog.fields.contactName')} name={['contactPoint', 'name']}>
                    <Input autoComplete="name" maxLength={200} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={8}>
                  <Form.Item label={t('catalog.fields.contactEmail')} name={['contactPoint', 'email']}>
                    <Input type="email" autoComplete="email" maxLength={200} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={8}>
                  <Form.Item label={t('catalog.fields.contactPhone')} name={['contactPoint', 'phone']}>
                    <Input type="tel" autoComplete="tel" maxLength={50} />
                  </Form.Item>
                </Col>
              </Row>
            </fieldset>
          </Section>

          <Section id="editor-grade" title={t('catalog.editor.sections.grade')}>
            <Form.Item
              label={t('catalog.fields.grade')}
              name="grade"
              required={required('grade')}
              extra={t('catalog.editor.gradeHelp')}
            >
              <Select options={options('grades', GRADES)} style={{ maxWidth: 320 }} />
            </Form.Item>
            {saved ? (
              <p data-testid="derived-grade" aria-live="polite" style={{ margin: 0 }}>
                {t('catalog.editor.derivedGrade')} <GradeBadge value={saved} />
                {raised ? ` ${t('catalog.editor.gradeRaised')}` : ''}
              </p>
            ) : null}
          </Section>

          <Section id="editor-distributions" title={t('catalog.entry.distributionsTitle')}>
            <DistributionsEditor formName={FORM_NAME} listError={listError('distributions')} />
          </Section>

          {extras.length > 0 ? (
            <Section id="editor-extras" title={t('catalog.editor.sections.extras')}>
              <p style={{ marginTop: 0 }}>{t('catalog.editor.extrasIntro')}</p>
              <ExtrasEditor rules={extras} />
            </Section>
          ) : null}

          {isVersionConflict(save.error) ? (
            <Alert
              style={{ marginBottom: 16 }}
              type="error"
              showIcon
              role="alert"
              data-testid="version-conflict"
              title={t('catalog.editor.conflictTitle')}
              description={
                <>
                  <p style={{ margin: '0 0 8px' }}>{t('catalog.editor.conflictHelp')}</p>
                  {onReload ? <Button onClick={onReload}>{t('catalog.editor.reload')}</Button> : null}
                </>
              }
            />
          ) : save.error &&
            !(save.error instanceof ApiError && save.error.status === 400 && save.error.errors.length > 0) ? (
            <div style={{ marginBottom: 16 }}>
              <ProblemAlert error={save.error} />
            </div>
          ) : null}
          <Space wrap>
            <Button type="primary" htmlType="submit" loading={save.isPending}>
              {mode === 'create' ? t('catalog.editor.saveDraft') : t('catalog.editor.saveVersion')}
            </Button>
            <ButtonLink to={code ? `/catalog/entries/${encodeURIComponent(code)}` : '/catalog'}>
              {t('common.cancel')}
            </ButtonLink>
          </Space>
        </div>

        <aside className="dp-editor-aside" aria-labelledby="editor-check-title">
          <Card
            title={
              <h2 id="editor-check-title" style={{ margin: 0, fontSize: 18 }}>
                {t('catalog.editor.checkTitle')}
              </h2>
            }
          >
            <div ref={summaryRef} tabIndex={-1} data-testid="editor-status">
              <p
                role="status"
                style={{ marginTop: 0, marginBottom: live.status === 'checking' ? 4 : undefined }}
              >
                {statusText}
              </p>
              {live.status === 'checking' ? (
                <p aria-hidden="true" className="dp-meta-line" style={{ marginTop: 0 }}>
                  {t('catalog.editor.status.checking')}
                </p>
              ) : null}
              {live.status === 'failed' ? <ProblemAlert error={live.failure} /> : null}
              {placed.length > 0 ? (
                <ul className="dp-problem-list" data-testid="editor-problems">
                  {placed.map((p) => (
                    <li key={`${p.key}:${p.message}`}>
                      {p.place.kind === 'field' ? (
                        <button
                          type="button"
                          className="dp-link-button"
                          onClick={() => {
                            if (p.place.kind === 'field')
                              form.scrollToField(asName(p.place.path), { focus: true, block: 'center' });
                          }}
                        >
                          {changeLabel(p.path)}
                        </button>
                      ) : (
                        <strong>{changeLabel(p.path) || t('catalog.editor.wholeEntry')}</strong>
                      )}
                      {t('common.labelSeparator')}
                      {p.message}
                    </li>
                  ))}
                </ul>
              ) : null}
            </div>
            {quality !== undefined ? (
              <p style={{ marginBottom: 0 }} data-testid="editor-quality">
                {t('catalog.editor.qualityPreview', { score: quality })}
              </p>
            ) : null}
          </Card>
        </aside>
      </div>
    </Form>
  );
}

function CreateEntry() {
  const { t } = useTranslation();
  const { data: session } = useSession();
  const institutions = useInstitutions();
  const [params] = useSearchParams();
  const choices = useMemo(
    () => editableInstitutions(session?.user, institutions.data),
    [session?.user, institutions.data],
  );
  const wanted = params.get('organization');
  const first = choices.find((o) => o.code === wanted || o.id === wanted) ?? choices[0];
  const initial = useMemo(() => newEntryValues(first?.id, first?.creditCode), [first]);
  if (institutions.isPending) return <PageLoading />;
  return (
    <>
      <PageHeader title={t('catalog.editor.newTitle')} description={t('catalog.editor.newIntro')} />
      {institutions.error ? <ProblemAlert error={institutions.error} /> : null}
      {choices.length === 0 ? (
        <p>{t('catalog.editor.noInstitution')}</p>
      ) : (
        <EntryEditor mode="create" initial={initial} institutions={choices} />
      )}
    </>
  );
}

/** The page heading names the entry in its own language, which may differ from the page's. */
function EditHeader({ title, version }: { title: Shown; version: number }) {
  const { t } = useTranslation();
  const heading = t('catalog.editor.editTitleNamed', { title: title.text });
  usePageTitle(heading);
  const [before, after = ''] = t('catalog.editor.editTitleNamed', { title: '\u0000' }).split('\u0000');
  return (
    <div className="dp-page-header">
      <h1>
        {before}
        <span lang={title.lang}>{title.text}</span>
        {after}
      </h1>
      <p>{t('catalog.editor.editIntro', { version })}</p>
    </div>
  );
}

function EditEntry({ code }: { code: string }) {
  const { t, i18n } = useTranslation();
  const api = useCatalogApi();
  const queryClient = useQueryClient();
  const institutions = useInstitutions();
  const detail = useQuery({
    queryKey: ['catalog', 'entry', code],
    queryFn: ({ signal }) => api.entry(code, signal),
    // The form starts from what is stored now, never from a cached copy.
    staleTime: 0,
  });
  const data = detail.data;
  const metadata = data?.working?.metadata ?? data?.entry.metadata;
  const initial = useMemo(() => (metadata ? editorValuesOf(metadata) : undefined), [metadata]);
  if (detail.isPending || institutions.isPending) return <PageLoading />;
  if (detail.error || !data || !initial) {
    return (
      <>
        <PageHeader title={t('catalog.editor.editTitle')} />
        <ProblemAlert error={detail.error} />
      </>
    );
  }
  const title = localized(metadata!.title, i18n.language);
  const version = data.working?.version ?? data.entry.version;
  const provider = institutions.data?.find((o) => o.id === data.entry.provider.id) ?? {
    ...data.entry.provider,
    kind: 'institution',
    listed: 0,
    entries: 0,
    quality: null,
  };
  return (
    <>
      <EditHeader title={title} version={version} />
      <p>
        <Link to={`/catalog/entries/${encodeURIComponent(code)}`}>{t('catalog.editor.backToEntry')}</Link>
      </p>
      {data.can.edit ? (
        <EntryEditor
          key={version}
          mode="edit"
          code={data.entry.code}
          version={version}
          initial={initial}
          institutions={[provider]}
          detail={data}
          onReload={() => void queryClient.invalidateQueries({ queryKey: ['catalog', 'entry', code] })}
        />
      ) : (
        <Alert
          type="warning"
          showIcon
          title={t('catalog.editor.cannotEdit')}
          description={t('catalog.editor.cannotEditHelp')}
        />
      )}
    </>
  );
}

/** The catalog editor: a new draft (`/catalog/new`) or a new version of an entry (`…/edit`). */
export function EntryEditorPage() {
  const { code } = useParams();
  return code ? <EditEntry code={code} /> : <CreateEntry />;
}
