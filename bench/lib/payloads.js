'use strict';
/**
 * The events every sender in the benchmark delivers: `guest.checked_in` events shaped exactly
 * like the app's own (a guest snapshot as event data), and the webhook body the app sends for
 * one, byte for byte (`{ type, timestamp, data }` with `data` as stored).
 */
const { monotonicFactory } = require('ulid');

const nextUlid = monotonicFactory();
const newId = (prefix) => `${prefix}_${nextUlid()}`;

function guestData(guestId, i, at) {
  return JSON.stringify({
    guest: {
      id: guestId,
      name: `Bench guest ${i}`,
      partySize: 1 + (i % 8),
      email: null,
      phone: null,
      marketingOptIn: false,
      notes: null,
      status: 'waiting',
      position: 1 + (i % 40),
      quotedWaitMinutes: 5 * (i % 12),
      tableId: null,
      checkedInAt: at,
      seatedAt: null,
      leftAt: null,
      leftReason: null,
      paid: false,
    },
  });
}

/** `n` distinct guest.checked_in events: `{ id, type, timestamp, data, guestId }`. */
function makeEvents(n) {
  const at = new Date().toISOString();
  const events = new Array(n);
  for (let i = 0; i < n; i++) {
    const guestId = newId('gst');
    events[i] = { id: newId('evt'), type: 'guest.checked_in', timestamp: at, data: guestData(guestId, i, at), guestId };
  }
  return events;
}

/** The request body the app sends for an event (see DeliveryStore.withBodies). */
function bodyOf(event) {
  return `{"type":${JSON.stringify(event.type)},"timestamp":${JSON.stringify(event.timestamp)},"data":${event.data}}`;
}

module.exports = { newId, makeEvents, bodyOf };
