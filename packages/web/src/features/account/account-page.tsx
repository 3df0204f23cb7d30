import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Card, Col, Row } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiToken } from '../../api/types.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { useSession } from '../auth/session.ts';
import { CreateTokenForm } from './create-token-form.tsx';
import { ProfileCard } from './profile-card.tsx';
import { TokenCreated } from './token-created.tsx';
import { TokenTable } from './token-table.tsx';
import { createToken, listTokens, revokeToken, TOKENS_KEY } from './tokens-api.ts';

export function AccountPage() {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const queryClient = useQueryClient();
  const { data: session } = useSession();
  const [secret, setSecret] = useState<string | undefined>();

  const tokens = useQuery({ queryKey: TOKENS_KEY, queryFn: ({ signal }) => listTokens(signal) });
  const create = useMutation({
    mutationFn: createToken,
    onSuccess: (created) => {
      setSecret(created.token);
      void queryClient.invalidateQueries({ queryKey: TOKENS_KEY });
    },
  });
  const revoke = useMutation({
    mutationFn: (token: ApiToken) => revokeToken(token.id),
    onSuccess: () => {
      void message.success(t('tokens.revoked'));
      void queryClient.invalidateQueries({ queryKey: TOKENS_KEY });
    },
    onError: () => void message.error(t('errors.generic')),
  });

  const user = session?.user;
  if (!user) return null;

  const confirmRevoke = (token: ApiToken) => {
    modal.confirm({
      title: t('tokens.revokeConfirmTitle', { name: token.name }),
      content: t('tokens.revokeConfirmText'),
      okText: t('tokens.revoke'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () => revoke.mutateAsync(token),
    });
  };

  return (
    <>
      <PageHeader title={t('account.title')} description={t('account.intro')} />
      <Row gutter={[20, 20]}>
        <Col span={24}>
          <ProfileCard user={user} />
        </Col>
        <Col span={24}>
          <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('tokens.createTitle')}</h2>}>
            <p style={{ marginTop: 0 }}>{t('tokens.intro')}</p>
            <CreateTokenForm
              permissions={user.permissions}
              pending={create.isPending}
              error={create.error}
              onCreate={(values) => create.mutate(values)}
            />
            {secret ? (
              <div style={{ marginTop: 20 }}>
                <TokenCreated token={secret} onDone={() => setSecret(undefined)} />
              </div>
            ) : null}
          </Card>
        </Col>
        <Col span={24}>
          <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('tokens.title')}</h2>}>
            {tokens.error ? <ProblemAlert error={tokens.error} /> : null}
            <TokenTable
              tokens={tokens.data ?? []}
              loading={tokens.isPending}
              revokingId={revoke.isPending ? revoke.variables?.id : undefined}
              onRevoke={confirmRevoke}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}
