import { useEffect } from 'react';
import { AccuracyPanel } from '../components/AccuracyPanel';
import { KeyGate, type KeySession, SignOutButton } from '../components/KeyGate';
import { QrCode } from '../components/QrCode';
import { Shell } from '../components/Shell';
import { api } from '../lib/api';
import { useNow } from '../lib/live';
import { STAFF_KEY } from '../lib/storage';
import type { Table, TableStatus } from '../lib/types';
import { FloorPlanCard } from './staff/FloorPlanCard';
import { FloorStats } from './staff/FloorStats';
import { LiveStream } from './staff/LiveStream';
import { SeatedCard } from './staff/SeatedCard';
import { Toast, useToast } from './staff/Toast';
import { useFloor } from './staff/useFloor';
import { WaitlistCard } from './staff/WaitlistCard';

/** `/staff`: the host stand. Asks once for a staff (or admin) key. */
export function StaffPage() {
  useEffect(() => {
    document.title = 'Staff · Maitred';
  }, []);
  return (
    <KeyGate
      storageKey={STAFF_KEY}
      title="Staff sign-in"
      intro="Enter an API key with the staff or admin scope. This browser remembers it until you sign out."
      forbidden="This key cannot run the floor; it needs the staff or admin scope."
      check={(key) => api('GET', '/api/guests?status=waiting&limit=1', { apiKey: key })}
    >
      {(session) => <Dashboard session={session} />}
    </KeyGate>
  );
}

/** The host stand: the floor plan, the line and who is seated, with the live feed and the check-in QR code beside them. */
function Dashboard({ session }: { session: KeySession }) {
  const { key, call, explainFailure } = session;
  const floor = useFloor(session);
  const { toast, dismiss, act } = useToast(explainFailure);
  const now = useNow(15_000);

  const setTableStatus = (table: Table, status: TableStatus) =>
    act(`Table ${table.label} is ${status}.`, () => call('PATCH', `/api/tables/${encodeURIComponent(table.id)}`, { status }));

  return (
    <Shell live={floor.live} actions={<SignOutButton session={session} />}>
      <div className="page-head">
        <h1>Floor</h1>
        <FloorStats waitlist={floor.waitlist} seated={floor.seated} tables={floor.tables} />
      </div>
      {toast && <Toast toast={toast} onDismiss={dismiss} />}
      <div className="dashboard">
        <div className="dashboard-main">
          <FloorPlanCard
            tables={floor.tables}
            seated={floor.seated}
            loadError={floor.loadError}
            onRetry={floor.loadTables}
            onSet={setTableStatus}
          />
          <WaitlistCard
            waitlist={floor.waitlist}
            reconnecting={floor.staffState === 'reconnecting'}
            tables={floor.tables ?? []}
            now={now}
            apiKey={key}
            act={act}
          />
          <SeatedCard
            seated={floor.seated}
            tables={floor.tables}
            now={now}
            apiKey={key}
            act={act}
            onAuthFailure={explainFailure}
          />
        </div>

        <aside className="dashboard-side">
          <AccuracyPanel apiKey={key} refreshOn={floor.seated} now={now} />
          <section className="card" aria-labelledby="qr-title">
            <h2 id="qr-title">Guests check in here</h2>
            <QrCode url={`${window.location.origin}/`} label="QR code to the check-in page" />
          </section>
          <LiveStream stream={floor.stream} />
        </aside>
      </div>
    </Shell>
  );
}
