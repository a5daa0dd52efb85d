/** The shapes of Maitred's public interface (see the contract); the client speaks only these. */

export type GuestStatus = 'waiting' | 'seated' | 'left';
export type TableStatus = 'free' | 'occupied' | 'reserved' | 'cleaning';

export interface Guest {
  id: string;
  name: string;
  partySize: number;
  email: string | null;
  phone: string | null;
  marketingOptIn: boolean;
  notes: string | null;
  status: GuestStatus;
  position: number | null;
  quotedWaitMinutes: number | null;
  tableId: string | null;
  checkedInAt: string;
  seatedAt: string | null;
  leftAt: string | null;
  leftReason: string | null;
  paid: boolean;
  /** The quote given at check-in, kept; and once seated, the minutes actually waited. */
  quotedWaitAtCheckIn?: number | null;
  actualWaitMinutes?: number | null;
  quotedWaitRange?: { low: number; high: number } | null;
}

export interface CheckedInGuest extends Guest {
  token: string;
}

export interface Table {
  id: string;
  label: string;
  capacity: number;
  status: TableStatus;
  guestId?: string | null;
}

export interface CapacityAvailability {
  total: number;
  free: number;
  estimatedWaitMinutes: number;
}

export interface Availability {
  total: number;
  free: number;
  waiting: number;
  byCapacity: Record<string, CapacityAvailability>;
  tables: Table[];
}

export interface Offer {
  id: string;
  guestId: string;
  title: string;
  description: string | null;
  createdAt: string;
}

export interface Payment {
  id: string;
  paymentId: string;
  guestId: string;
  amount: number;
  currency: string;
  receivedAt: string;
}

export interface DomainEvent {
  id: string;
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

export interface EventType {
  type: string;
  description: string;
  schema: unknown;
}

export interface Endpoint {
  id: string;
  url: string;
  description: string | null;
  eventTypes: string[];
  enabled: boolean;
  disabledReason: string | null;
  createdAt: string;
  updatedAt: string;
}

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

export interface Attempt {
  at: string;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  responseBody: string | null;
}

export interface Delivery {
  id: string;
  eventId: string;
  endpointId: string;
  eventType: string;
  status: DeliveryStatus;
  attemptCount: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  attempts?: Attempt[];
}

export interface FieldIssue {
  field: string;
  message: string;
}

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: FieldIssue[];
  requestId?: string;
}
