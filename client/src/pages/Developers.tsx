import { useCallback, useEffect, useRef, useState } from 'react';
import { KeyGate, type KeySession, SignOutButton } from '../components/KeyGate';
import { Shell } from '../components/Shell';
import { Empty, ErrorState, Loading, Notice } from '../components/States';
import { api, explain } from '../lib/api';
import { type LiveState, useLive, useNow } from '../lib/live';
import { DEVELOPER_KEY } from '../lib/storage';
import type { Delivery, Endpoint, EventType } from '../lib/types';
import { EndpointCard } from './developers/EndpointCard';
import { EventCatalogue, ListenPanel } from './developers/ListenPanel';
import { NewEndpointForm } from './developers/NewEndpointForm';
import { SecretValue } from './developers/SecretValue';

const POLL_MS = 3000;
const DELIVERY_PAGE = 100;

/** `/developers`: the integrator portal for webhook endpoints. Asks once for an endpoints or admin key. */
export function DevelopersPage() {
  useEffect(() => {
    document.title = 'Developers · Maitred';
  }, []);
  return (
    <KeyGate
      storageKey={DEVELOPER_KEY}
      title="Developer portal"
      intro="Manage the webhook endpoints of your API key. Enter a key with the endpoints (or admin) scope."
      forbidden="This key cannot manage webhook endpoints; it needs the endpoints or admin scope."
      check={(key) => api('GET', '/api/webhooks/endpoints', { apiKey: key })}
    >
      {(session) => <Portal session={session} />}
    </KeyGate>
  );
}

function Portal({ session }: { session: KeySession }) {
  const { call } = session;
  const [eventTypes, setEventTypes] = useState<EventType[] | null>(null);
  const [typesError, setTypesError] = useState<string | null>(null);
  const [endpoints, setEndpoints] = useState<Endpoint[] | null>(null);
  const [endpointsError, setEndpointsError] = useState<string | null>(null);
  const [deliveries, setDeliveries] = useState<Record<string, Delivery[]>>({});
  const [created, setCreated] = useState<{ url: string; secret: string; publicKey: boolean } | null>(null);
  const now = useNow(10_000);

  const loadTypes = useCallback(() => {
    setTypesError(null);
    api<EventType[]>('GET', '/api/webhooks/event-types').then(setEventTypes, (failure: unknown) =>
      setTypesError(explain(failure)),
    );
  }, []);

  const loadEndpoints = useCallback(() => {
    call<Endpoint[]>('GET', '/api/webhooks/endpoints').then(
      (list) => {
        setEndpoints(list);
        setEndpointsError(null);
      },
      (failure: unknown) => setEndpointsError(explain(failure)),
    );
  }, [call]);

  const loadDeliveries = useCallback(
    (endpointId: string) => {
      call<Delivery[]>('GET', `/api/webhooks/endpoints/${encodeURIComponent(endpointId)}/deliveries?limit=${DELIVERY_PAGE}`).then(
        (list) => setDeliveries((all) => ({ ...all, [endpointId]: list })),
        () => {
          // The card keeps the last list it had; the next refresh tries again.
        },
      );
    },
    [call],
  );

  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- loading on mount; the loader clears its last error first.
    loadTypes();
    loadEndpoints();
  }, [loadTypes, loadEndpoints]);

  const endpointIds = (endpoints ?? []).map((e) => e.id).join(',');
  const refreshAll = useCallback(() => {
    for (const id of endpointIds.split(',').filter(Boolean)) loadDeliveries(id);
  }, [endpointIds, loadDeliveries]);
  useEffect(refreshAll, [refreshAll]);

  // An admin key can follow delivery attempts live on `/staff`; an endpoints key cannot, so the
  // portal polls while that socket is not live (and only while the tab is visible).
  const pending = useRef(new Set<string>());
  const staff = useLive({
    namespace: '/staff',
    auth: session.socketAuth,
    on: {
      delivery: (delivery: Delivery) => {
        if (pending.current.size === 0) {
          window.setTimeout(() => {
            for (const id of pending.current) loadDeliveries(id);
            pending.current.clear();
          }, 100);
        }
        pending.current.add(delivery.endpointId);
      },
    },
  });
  const polling = staff.state !== 'live';
  useEffect(() => {
    if (!polling) return;
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') refreshAll();
    }, POLL_MS);
    return () => window.clearInterval(timer);
  }, [polling, refreshAll]);
  const live: LiveState | undefined = staff.state === 'live' ? 'live' : undefined;

  return (
    <Shell live={live} actions={<SignOutButton session={session} />}>
      <div className="page-head">
        <div>
          <h1>Webhooks</h1>
          <p className="muted">
            Maitred signs every request with Standard Webhooks headers.{' '}
            {polling ? 'Deliveries refresh every few seconds.' : 'Deliveries update live.'}
          </p>
        </div>
      </div>
      <div className="portal">
        <div className="portal-side">
          {typesError ? (
            <ErrorState message={typesError} onRetry={loadTypes} />
          ) : !eventTypes ? (
            <Loading>Loading the event catalogue…</Loading>
          ) : (
            <NewEndpointForm
              eventTypes={eventTypes}
              call={call}
              onCreated={(endpoint) => {
                setCreated({
                  url: endpoint.url,
                  secret: endpoint.secret ?? endpoint.publicKey ?? '',
                  publicKey: endpoint.publicKey !== undefined,
                });
                setEndpoints((list) => [...(list ?? []), endpoint]);
              }}
            />
          )}
        </div>
        <div className="portal-main">
          <ListenPanel apiKey={session.key} />
          {created && (
            <Notice tone="good">
              <strong>Endpoint added: {created.url}</strong>
              <span>
                {created.publicKey
                  ? 'Its Ed25519 public key, to verify v1a signatures with (you can show it again at any time):'
                  : 'Its signing secret (you can show it again at any time):'}
              </span>
              <SecretValue secret={created.secret} />
              <button type="button" className="btn btn-small btn-ghost" onClick={() => setCreated(null)}>
                Done
              </button>
            </Notice>
          )}
          {endpointsError && !endpoints ? (
            <ErrorState message={endpointsError} onRetry={loadEndpoints} />
          ) : !endpoints ? (
            <Loading>Loading your endpoints…</Loading>
          ) : endpoints.length === 0 ? (
            <Empty title="No endpoints yet">Add the URL that should receive Maitred's events; send it a test right after.</Empty>
          ) : (
            endpoints.map((endpoint) => (
              <EndpointCard
                key={endpoint.id}
                endpoint={endpoint}
                deliveries={deliveries[endpoint.id]}
                now={now}
                call={call}
                onChanged={(next) => setEndpoints((list) => (list ?? []).map((e) => (e.id === next.id ? next : e)))}
                onDeleted={() => setEndpoints((list) => (list ?? []).filter((e) => e.id !== endpoint.id))}
                refresh={() => loadDeliveries(endpoint.id)}
              />
            ))
          )}
          {eventTypes && <EventCatalogue eventTypes={eventTypes} />}
        </div>
      </div>
    </Shell>
  );
}
