import type { Guest, Table } from '../../lib/types';

/** The page head's counts: waiting, seated, free tables of all. */
export function FloorStats({
  waitlist,
  seated,
  tables,
}: {
  waitlist: Guest[] | null;
  seated: Guest[] | null;
  tables: Table[] | null;
}) {
  const free = tables?.filter((t) => t.status === 'free').length ?? 0;
  return (
    <dl className="stats">
      <div>
        <dt>Waiting</dt>
        <dd>{waitlist?.length ?? '–'}</dd>
      </div>
      <div>
        <dt>Seated</dt>
        <dd>{seated?.length ?? '–'}</dd>
      </div>
      <div>
        <dt>Free tables</dt>
        <dd>
          {tables ? free : '–'}
          <small>/{tables?.length ?? '–'}</small>
        </dd>
      </div>
    </dl>
  );
}
