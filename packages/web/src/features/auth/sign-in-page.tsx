import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Divider, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { applySession, signIn, useSession } from './session.ts';

interface SignInValues {
  username: string;
  password: string;
}

/** Only same-site paths, so a crafted link cannot bounce the user to another site after sign-in. */
export function safeNextPath(next: string | null): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}

export function SignInPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { data: session } = useSession();
  const next = safeNextPath(params.get('next'));

  const login = useMutation({
    mutationFn: (values: SignInValues) => signIn(values.username.trim(), values.password),
    onSuccess: (result) => {
      applySession(queryClient, result);
      navigate(next, { replace: true });
    },
  });

  if (session?.authenticated && !login.isPending && !login.isSuccess) return <Navigate to={next} replace />;

  return (
    <div style={{ maxWidth: 440, margin: '0 auto' }}>
      <PageHeader title={t('auth.title')} description={t('auth.intro')} />
      <Card>
        <Form<SignInValues>
          name="sign-in"
          layout="vertical"
          requiredMark={false}
          onFinish={(values) => login.mutate(values)}
          disabled={login.isPending}
        >
          <Form.Item
            label={t('auth.username')}
            name="username"
            rules={[{ required: true, whitespace: true, message: t('auth.usernameRequired') }]}
          >
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item
            label={t('auth.password')}
            name="password"
            rules={[{ required: true, message: t('auth.passwordRequired') }]}
          >
            <Input.Password autoComplete="current-password" visibilityToggle={false} />
          </Form.Item>
          {login.error ? (
            <div style={{ marginBottom: 16 }}>
              <ProblemAlert
                error={login.error}
                messages={{ 401: t('auth.invalidCredentials'), 429: t('auth.throttled') }}
              />
            </div>
          ) : null}
          <Button type="primary" htmlType="submit" block loading={login.isPending}>
            {t('auth.submit')}
          </Button>
        </Form>
        {session?.oidcEnabled ? (
          <>
            <Divider plain>{t('auth.or')}</Divider>
            <a href="/api/v1/auth/oidc/login">{t('auth.oidc')}</a>
          </>
        ) : null}
      </Card>
    </div>
  );
}
