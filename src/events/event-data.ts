import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';

/**
 * The public payload classes of domain events: the feed and webhook payloads are built from
 * these, and the event-type catalogue's JSON Schemas are derived from the same classes.
 * Features map their records into these; this module imports no feature.
 */
/** Where a wait will most likely end, in minutes from now. */
export class QuoteRange {
  @ApiProperty({ minimum: 0 }) low!: number;
  @ApiProperty({ minimum: 0 }) high!: number;
}

export class GuestSnapshot {
  @ApiProperty({ example: 'gst_01JD5Z4Q2V8N7T3K9M6B1C0XYZ' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() partySize!: number;
  @ApiProperty({ type: String, nullable: true, description: 'In events (feed, webhooks) null unless marketingOptIn' })
  email!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'In events (feed, webhooks) null unless marketingOptIn' })
  phone!: string | null;
  @ApiProperty() marketingOptIn!: boolean;
  @ApiProperty({ type: String, nullable: true }) notes!: string | null;
  @ApiProperty({ enum: ['waiting', 'seated', 'left'] }) status!: 'waiting' | 'seated' | 'left';
  @ApiProperty({ type: Number, nullable: true }) position!: number | null;
  @ApiProperty({ type: Number, nullable: true }) quotedWaitMinutes!: number | null;
  @ApiProperty({ type: String, nullable: true }) tableId!: string | null;
  @ApiProperty() checkedInAt!: string;
  @ApiProperty({ type: String, nullable: true }) seatedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) leftAt!: string | null;
  // null is one of the values: validators check `enum` even where `nullable` allows null.
  @ApiProperty({ type: String, nullable: true, enum: ['cancelled', 'no_show', 'finished', null] })
  leftReason!: 'cancelled' | 'no_show' | 'finished' | null;
  @ApiProperty() paid!: boolean;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'The quote given at check-in, kept (null when no table existed then)',
  })
  quotedWaitAtCheckIn!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Once seated: whole minutes from check-in to seat' })
  actualWaitMinutes!: number | null;
  @ApiProperty({ type: QuoteRange, nullable: true, description: 'Range of the current quote (null unless waiting)' })
  quotedWaitRange!: QuoteRange | null;
  @ApiProperty({ type: String, nullable: true, description: 'When staff paged the guest ("your table is ready")' })
  notifiedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'When the hold ends (null unless paged)' })
  holdUntil!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The table held for the guest while paged, if any' })
  heldTableId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'When the paged guest said they are on their way' })
  confirmedAt!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: "When the guest's personal data was erased: name empty, email, phone and notes null (null until then)",
  })
  erasedAt!: string | null;
}

export class TableSnapshot {
  @ApiProperty() id!: string;
  @ApiProperty() label!: string;
  @ApiProperty() capacity!: number;
  @ApiProperty({ enum: ['free', 'occupied', 'reserved', 'cleaning'] })
  status!: 'free' | 'occupied' | 'reserved' | 'cleaning';
  @ApiProperty({ type: String, nullable: true }) guestId!: string | null;
}

export class OfferSnapshot {
  @ApiProperty() id!: string;
  @ApiProperty() guestId!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty() createdAt!: string;
}

export class PaymentSnapshot {
  @ApiProperty() id!: string;
  @ApiProperty() paymentId!: string;
  @ApiProperty() guestId!: string;
  @ApiProperty() amount!: number;
  @ApiProperty() currency!: string;
  @ApiProperty() receivedAt!: string;
}

/** `nullable` sits on a typed alternative: OpenAPI 3.0 gives it no meaning on a schema without `type`. */
const CHANGE_VALUE: ApiPropertyOptions = {
  required: true,
  oneOf: [{ type: 'string', nullable: true }, { type: 'number' }, { type: 'boolean' }],
};

export class FieldChange {
  @ApiProperty(CHANGE_VALUE) from!: string | number | boolean | null;
  @ApiProperty(CHANGE_VALUE) to!: string | number | boolean | null;
}

export class GuestCheckedIn {
  @ApiProperty({ type: GuestSnapshot }) guest!: GuestSnapshot;
}

export class GuestUpdated {
  @ApiProperty({ type: GuestSnapshot }) guest!: GuestSnapshot;
  @ApiProperty({ type: 'object', additionalProperties: { $ref: '#/components/schemas/FieldChange' } })
  changes!: Record<string, FieldChange>;
}

export class GuestSeated {
  @ApiProperty({ type: GuestSnapshot }) guest!: GuestSnapshot;
  @ApiProperty({ type: TableSnapshot }) table!: TableSnapshot;
}

export class GuestLeft {
  @ApiProperty({ type: GuestSnapshot }) guest!: GuestSnapshot;
  @ApiProperty({ enum: ['cancelled', 'no_show', 'finished'] }) reason!: 'cancelled' | 'no_show' | 'finished';
}

export class GuestNotified {
  @ApiProperty({ type: GuestSnapshot }) guest!: GuestSnapshot;
  @ApiProperty({ type: TableSnapshot, nullable: true, description: 'The table held for the guest, if staff picked one' })
  table!: TableSnapshot | null;
  @ApiProperty() holdUntil!: string;
  @ApiProperty({ type: String, nullable: true, maxLength: 160, description: "Staff's note for the guest" })
  message!: string | null;
}

export class GuestConfirmed {
  @ApiProperty({ type: GuestSnapshot }) guest!: GuestSnapshot;
}

export class TableStatusChanged {
  @ApiProperty({ type: TableSnapshot }) table!: TableSnapshot;
  @ApiProperty({ enum: ['free', 'occupied', 'reserved', 'cleaning'] })
  previousStatus!: 'free' | 'occupied' | 'reserved' | 'cleaning';
}

export class OfferCreated {
  @ApiProperty({ type: OfferSnapshot }) offer!: OfferSnapshot;
  @ApiProperty({ type: GuestSnapshot }) guest!: GuestSnapshot;
}

export class PaymentReceived {
  @ApiProperty({ type: PaymentSnapshot }) payment!: PaymentSnapshot;
  @ApiProperty({ type: GuestSnapshot }) guest!: GuestSnapshot;
}

export class GuestErased {
  @ApiProperty({ example: 'gst_01JD5Z4Q2V8N7T3K9M6B1C0XYZ' }) guestId!: string;
}

/** Fields of a guest that are contact details, withheld from event data without marketing consent. */
export const CONTACT_FIELDS = ['email', 'phone'] as const;

/**
 * Applies the privacy rule (README, "Receiving Maitred webhooks") to a guest as it appears in event data:
 * contact details only with marketingOptIn, and never a token.
 */
export function shapeGuestForEvent(guest: GuestSnapshot & { token?: unknown }): GuestSnapshot {
  const { token: _token, ...rest } = guest;
  return rest.marketingOptIn ? { ...rest } : { ...rest, email: null, phone: null };
}

/** Applies the same rule to a `changes` map, judged by the guest's consent after the change. */
export function shapeChangesForEvent(changes: Record<string, FieldChange>, marketingOptIn: boolean): Record<string, FieldChange> {
  const shaped: Record<string, FieldChange> = {};
  for (const [field, change] of Object.entries(changes)) {
    if (field === 'token') continue;
    shaped[field] = !marketingOptIn && (CONTACT_FIELDS as readonly string[]).includes(field) ? { from: null, to: null } : change;
  }
  return shaped;
}
