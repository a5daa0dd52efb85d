import { readiness, type ProbeResults, type Readiness } from './readiness';

describe('readiness', () => {
  const cases: [string, ProbeResults, Pick<Readiness, 'status' | 'failed'>][] = [
    ['all good', { databaseAnswered: true, migrationsPending: false, dispatcherRunning: true }, { status: 'ok', failed: [] }],
    [
      'database down (migrations unknown)',
      { databaseAnswered: false, migrationsPending: null, dispatcherRunning: true },
      { status: 'unavailable', failed: ['database', 'migrations'] },
    ],
    [
      'migrations pending',
      { databaseAnswered: true, migrationsPending: true, dispatcherRunning: true },
      { status: 'unavailable', failed: ['migrations'] },
    ],
    [
      'dispatcher stopped',
      { databaseAnswered: true, migrationsPending: false, dispatcherRunning: false },
      { status: 'unavailable', failed: ['dispatcher'] },
    ],
  ];

  it.each(cases)('%s', (_name, probes, expected) => {
    expect(readiness(probes)).toMatchObject(expected);
  });

  it('names each check', () => {
    expect(readiness({ databaseAnswered: true, migrationsPending: true, dispatcherRunning: false }).checks).toEqual({
      database: 'ok',
      migrations: 'pending',
      dispatcher: 'stopped',
    });
  });
});
