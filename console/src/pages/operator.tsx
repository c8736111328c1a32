/** The operator pages: users and key pairs, the test clock, fault rules, snapshots, reset (docs/operator.md). */
import { useState } from 'preact/hooks';
import { ApiFailure, api } from '../api.ts';
import type { OperatorAddFaultBody, OperatorAdvanceClockBody, OperatorUpdateUserBody } from '../api.ts';
import { navigate, usePoll } from '../hooks.ts';
import { Confirm, ErrorText, Field, Form, FormError, Loaded, Page, Status, Submit, num, text } from '../ui.tsx';
import { signOut } from '../session.ts';


/** A secret shown once, right after the server made it. */
function NewPair({ pair }: { pair: { user_name?: string; app_key: string; app_secret: string } }) {
  return (
    <div class="notice" role="status">
      <p>New Access Key pair{pair.user_name ? ` for ${pair.user_name}` : ''}. The secret is shown only now.</p>
      <dl class="facts"><div><dt>Access Key</dt><dd><code>{pair.app_key}</code></dd></div><div><dt>Access Secret</dt><dd><code>{pair.app_secret}</code></dd></div></dl>
    </div>
  );
}

export function OperatorUsers() {
  const users = usePoll(() => api((c) => c.operatorListUsers()), []);
  const [pair, setPair] = useState<{ user_name?: string; app_key: string; app_secret: string }>();
  return (
    <Page title="Users">
      {pair ? <NewPair pair={pair} /> : null}
      <Loaded data={users.data} error={users.error} empty={(u) => u.length === 0}>
        {(list) => list.map((u) => (
          <article class="card" aria-label={`user ${u.user_name}`} data-user={u.user_name}>
            <h2>{u.user_name} <Status value={u.status} /></h2>
            <p>Balance {u.balance} CNY · {u.certified ? 'certified' : 'not certified'}
              {Object.keys(u.quotas).length ? ` · quotas ${Object.entries(u.quotas).map(([k, v]) => `${k}=${v}`).join(', ')}` : ''}</p>
            <Form label={`Change ${u.user_name}`} class="form inline" action={async (values) => {
              const quota = text(values, 'quota_name');
              await api((c) => c.operatorUpdateUser({ user_name: u.user_name }, {
                status: text(values, 'status'), balance: num(values, 'balance'), certified: values.get('certified') === 'true',
                ...(quota && { quotas: { [quota]: num(values, 'quota_value') } }),
              } as OperatorUpdateUserBody));
              users.reload();
            }}>
              <Field name="status" label="Status" type="select" value={u.status} options={[{ value: 'normal' }, { value: 'abnormal' }]} />
              <Field name="balance" label="Balance (CNY)" type="number" value={u.balance} />
              <Field name="certified" label="Certified" type="checkbox" checked={u.certified} />
              <Field name="quota_name" label="Quota" hint="e.g. services" />
              <Field name="quota_value" label="Quota value" type="number" />
              <FormError />
              <Submit>Save</Submit>
            </Form>
            <h3>Key pairs</h3>
            <ul class="plain">
              {u.key_pairs.map((k) => (
                <li>
                  <code>{k.app_key}</code> {k.enabled ? 'enabled' : 'disabled'}{' '}
                  <button type="button" onClick={async () => {
                    await api((c) => c.operatorSetKeyPairEnabled({ app_key: k.app_key }, { enabled: !k.enabled }));
                    users.reload();
                  }}>{k.enabled ? 'Disable' : 'Enable'}</button>{' '}
                  <Confirm label="Delete" question={`Delete key pair ${k.app_key.slice(0, 8)}…?`} action={async () => {
                    await api((c) => c.operatorDeleteKeyPair({ app_key: k.app_key }));
                    users.reload();
                  }} />
                </li>
              ))}
            </ul>
            <button type="button" onClick={async () => {
              setPair({ user_name: u.user_name, ...await api((c) => c.operatorAddKeyPair({ user_name: u.user_name }, {})) });
              users.reload();
            }}>New key pair for {u.user_name}</button>
          </article>
        ))}
      </Loaded>
      <h2>New user</h2>
      <Form label="New user" class="form inline" action={async (values, form) => {
        setPair(await api((c) => c.operatorCreateUser({ user_name: text(values, 'user_name') ?? '' })));
        form.reset();
        users.reload();
      }}>
        <Field name="user_name" label="User name" hint="lower-case letters, digits, _ and -" />
        <FormError />
        <Submit>Create user</Submit>
      </Form>
    </Page>
  );
}

export function OperatorClock() {
  const [now, setNow] = useState<string>();
  const clock = usePoll(() => api((c) => c.operatorAdvanceClock({ advance_seconds: 0 })), [], false);
  const shown = now ?? clock.data?.now;
  const advance = async (seconds: number | string | undefined) => {
    const answer = await api((c) => c.operatorAdvanceClock({ advance_seconds: seconds } as OperatorAdvanceClockBody));
    setNow(answer.now);
  };
  return (
    <Page title="Test clock">
      <p>The server's time: <time data-testid="clock-now">{shown ?? '…'}</time>. Moving it forward completes builds, provisioning,
        service transitions and billing that fell due, before the answer.</p>
      {clock.error ? <ErrorText error={clock.error} /> : null}
      <Form label="Advance the clock" class="form inline" action={(values) => advance(num(values, 'advance_seconds'))}>
        <Field name="advance_seconds" label="Advance by (seconds)" type="number" value="60" />
        <FormError />
        <Submit>Advance</Submit>
      </Form>
      <p class="actions">
        {[['1 minute', 60], ['1 hour', 3600], ['1 day', 86_400]].map(([label, seconds]) => (
          <button type="button" onClick={() => advance(seconds as number)}>+{label}</button>
        ))}
      </p>
    </Page>
  );
}

export function OperatorFaults() {
  const rules = usePoll(() => api((c) => c.operatorListFaults()), [], 3000);
  const disabled = rules.error instanceof ApiFailure && rules.error.code === 4040006;
  return (
    <Page title="Fault rules">
      {disabled ? <p class="notice">Fault injection is off on this server: start it with <code>--fault-injection</code>.</p> : (
        <Loaded data={rules.data} error={rules.error} empty={(r) => r.length === 0}>
          {(list) => (
            <div class="table-wrap">
              <table>
                <thead><tr><th scope="col">id</th><th scope="col">method</th><th scope="col">path</th><th scope="col">code</th><th scope="col">count</th><th scope="col">probability</th><th scope="col"><span class="sr-only">actions</span></th></tr></thead>
                <tbody>
                  {list.map((f) => (
                    <tr>
                      <td>{f.id}</td><td>{f.method}</td><td><code>{f.path}</code></td><td>{f.code}</td><td>{f.count ?? '∞'}</td><td>{f.probability}</td>
                      <td><button type="button" onClick={async () => {
                        await api((c) => c.operatorDeleteFault({ id: f.id }));
                        rules.reload();
                      }}>Remove</button></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Loaded>
      )}
      <h2>New rule</h2>
      <Form label="New fault rule" action={async (values) => {
        await api((c) => c.operatorAddFault({
          code: num(values, 'code'), method: text(values, 'method'), path: text(values, 'path'), count: num(values, 'count'), probability: num(values, 'probability'),
        } as OperatorAddFaultBody));
        rules.reload();
      }}>
        <Field name="code" label="Catalog code" type="number" />
        <Field name="method" label="Method" type="select" options={['*', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => ({ value: m }))} />
        <Field name="path" label="Path" value="*" hint="* matches any run of characters" />
        <Field name="count" label="Count" type="number" hint="empty: until removed" />
        <Field name="probability" label="Probability" hint="in (0, 1]; empty: 1" />
        <FormError />
        <Submit>Add rule</Submit>
      </Form>
    </Page>
  );
}

const SNAPSHOTS_KEY = 'opencomb.console.snapshots';

/** The server lists no snapshots; this tab remembers the ones it saved. */
function savedSnapshots(): Array<{ id: number; now: string }> {
  try {
    return JSON.parse(sessionStorage.getItem(SNAPSHOTS_KEY) ?? '[]') as Array<{ id: number; now: string }>;
  } catch {
    return [];
  }
}

export function OperatorSnapshots() {
  const [list, setList] = useState(savedSnapshots);
  const [error, setError] = useState<Error>();
  const [restored, setRestored] = useState<number>();
  const keep = (next: Array<{ id: number; now: string }>) => {
    sessionStorage.setItem(SNAPSHOTS_KEY, JSON.stringify(next));
    setList(next);
  };
  const run = async (action: () => Promise<void>) => {
    setError(undefined);
    try {
      await action();
    } catch (err) {
      setError(err as Error);
    }
  };
  return (
    <Page title="Snapshots">
      <p>A snapshot holds every table, the id sequences and the clock; it lives in the server's memory until it restarts.</p>
      <button type="button" class="primary" onClick={() => run(async () => {
        const snap = await api((c) => c.operatorTakeSnapshot());
        keep([...list, snap]);
      })}>Save a snapshot</button>
      {error ? <ErrorText error={error} /> : null}
      {restored !== undefined ? <p role="status">Snapshot {restored} restored.</p> : null}
      {list.length === 0 ? <p class="muted">No snapshot saved from this tab.</p> : (
        <ul class="plain">
          {list.map((s) => (
            <li data-snapshot={s.id}>
              Snapshot {s.id} (clock {s.now}){' '}
              <Confirm label="Restore" question={`Replace everything with snapshot ${s.id}?`} action={async () => {
                await api((c) => c.operatorRestoreSnapshot({ id: s.id }));
                setRestored(s.id);
              }} />{' '}
              <button type="button" onClick={() => run(async () => {
                await api((c) => c.operatorDeleteSnapshot({ id: s.id }));
                keep(list.filter((x) => x.id !== s.id));
              })}>Forget</button>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}

export function OperatorReset() {
  return (
    <Page title="Reset">
      <p>Erases every user's resources, restarts the ids, puts the clock back to real time and re-creates the start-up user.
        Tokens issued before stop working, this console's included.</p>
      <Confirm label="Reset the server" question="Erase all state?" confirmLabel="Yes, erase everything" action={async () => {
        await api((c) => c.operatorReset());
        signOut();
        navigate('/signin');
      }} />
    </Page>
  );
}
