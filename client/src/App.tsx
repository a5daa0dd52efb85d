import { Shell } from './components/Shell';
import { Link, usePath } from './lib/router';
import { BoardPage } from './pages/Board';
import { CheckInPage } from './pages/CheckIn';
import { DevelopersPage } from './pages/Developers';
import { GuestPage } from './pages/GuestPage';
import { StaffPage } from './pages/Staff';

export function App() {
  const path = usePath().replace(/\/+$/, '') || '/';
  const guest = /^\/guest\/([^/]+)$/.exec(path);
  if (guest?.[1]) return <GuestPage key={guest[1]} id={decodeURIComponent(guest[1])} />;
  switch (path) {
    case '/':
      return <CheckInPage />;
    case '/staff':
      return <StaffPage />;
    case '/board':
      return <BoardPage />;
    case '/developers':
      return <DevelopersPage />;
    default:
      return (
        <Shell variant="narrow">
          <section className="card">
            <h1>Page not found</h1>
            <p className="muted">There is nothing at {path}.</p>
            <Link className="btn btn-primary" href="/">
              Go to check-in
            </Link>
          </section>
        </Shell>
      );
  }
}
