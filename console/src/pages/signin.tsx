import { api } from '../api.ts';
import type { CreateTokenBody } from '../api.ts';
import { navigate } from '../hooks.ts';
import { updateSession } from '../session.ts';
import { Field, Form, FormError, Page, Submit, text } from '../ui.tsx';

/**
 * Two ways in: an Access Key pair buys an API token (the secret goes to the server once and is kept
 * nowhere), or the operator token opens the operator pages (empty when the server has none).
 */
export function SignIn({ reason }: { reason?: string }) {
  return (
    <Page title="Sign in">
      {reason ? <p class="notice">{reason}</p> : null}
      <div class="columns">
        <Form label="Sign in with an Access Key pair" action={async (values) => {
          const app_key = text(values, 'app_key');
          const answer = await api((c) => c.createToken({ app_key, app_secret: text(values, 'app_secret') } as CreateTokenBody));
          updateSession({ token: answer.token, appKey: app_key });
          navigate('/');
        }}>
          <h2>Access Key pair</h2>
          <Field name="app_key" label="Access Key" autocomplete="username" />
          <Field name="app_secret" label="Access Secret" type="password" autocomplete="current-password" hint="Sent once to obtain a token; never stored." />
          <FormError />
          <Submit>Sign in</Submit>
        </Form>
        <Form label="Sign in as the operator" action={async (values) => {
          const operatorToken = text(values, 'operator_token');
          updateSession({ operatorToken });
          // A clock read (advance by 0) checks the token without changing anything.
          try {
            await api((c) => c.operatorAdvanceClock({ advance_seconds: 0 }));
          } catch (err) {
            updateSession({ operatorToken: undefined });
            throw Object.assign(err as Error, { param: 'operator_token' });
          }
          updateSession({ operator: true });
          navigate('/operator/users');
        }}>
          <h2>Operator</h2>
          <Field name="operator_token" label="Operator token" type="password" hint="OPENCOMB_OPERATOR_TOKEN; leave empty when the server has none." />
          <FormError />
          <Submit>Open the operator pages</Submit>
        </Form>
      </div>
    </Page>
  );
}
