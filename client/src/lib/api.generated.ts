/**
 * Generated from the server's OpenAPI document by scripts/openapi.js (npm run openapi). Do not edit:
 * test/openapi-types.e2e-spec.ts fails when this file differs from what the server generates.
 */

export interface paths {
    "/api/availability": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Free tables per size and the estimated wait for a party checking in now. */
        get: operations["AvailabilityController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Events in commit order after the `after` cursor; `next` is the cursor for the following page. */
        get: operations["EventsController_feed"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/guests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Guests in check-in order, optionally by status. */
        get: operations["GuestsController_list"];
        put?: never;
        /** Check in: joins the waitlist and returns the guest with their token. */
        post: operations["GuestsController_checkIn"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/guests/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["GuestsController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch: operations["GuestsController_update"];
        trace?: never;
    };
    "/api/guests/{id}/charge": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Take a seated guest's payment through the gateway
         * @description Asks the gateway at PAYMENT_GATEWAY_URL to charge the guest and answers once it accepted; the payment is recorded, and the guest becomes `paid`, when the gateway's webhook arrives. 409 unless the guest is seated and not yet paid, or while a charge of another amount is in progress (10 min); the same amount again returns the same paymentId. 503 when no gateway is configured or it is unreachable, 502 when it refuses the charge.
         */
        post: operations["PaymentsController_charge"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/guests/{id}/leave": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Leave the line, or finish the meal; a seated guest's table goes to cleaning. */
        post: operations["GuestsController_leave"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/guests/{id}/offers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["GuestsController_listOffers"];
        put?: never;
        post: operations["GuestsController_createOffer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/guests/{id}/payments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["PaymentsController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/guests/{id}/seat": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Seat a waiting guest at a free table that fits the party. */
        post: operations["GuestsController_seat"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/inbound/payments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The payment gateway's webhook
         * @description Standard Webhooks, signed with PAYMENT_WEBHOOK_SECRET over the raw body. 401 for a missing, wrong or stale (more than 5 min off) signature, with nothing recorded; then 400 for a bad body, 404 for an unknown guest. Idempotent on webhook-id and on paymentId. Other event types are acknowledged and ignored.
         */
        post: operations["InboundPaymentsController_receive"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["KeysController_list"];
        put?: never;
        post: operations["KeysController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: operations["KeysController_revoke"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tables": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every table; `guestId` is included only for staff. */
        get: operations["TablesController_list"];
        put?: never;
        post: operations["TablesController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tables/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch: operations["TablesController_update"];
        trace?: never;
    };
    "/api/webhooks/deliveries/{id}/attempts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["WebhooksController_attemptsOf"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/deliveries/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["WebhooksController_retry"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/endpoints": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["WebhooksController_list"];
        put?: never;
        post: operations["WebhooksController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/endpoints/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["WebhooksController_get"];
        put?: never;
        post?: never;
        delete: operations["WebhooksController_remove"];
        options?: never;
        head?: never;
        patch: operations["WebhooksController_update"];
        trace?: never;
    };
    "/api/webhooks/endpoints/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["WebhooksController_deliveriesOf"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/endpoints/{id}/recover": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["WebhooksController_recover"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/endpoints/{id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["WebhooksController_rotateSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/endpoints/{id}/secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["WebhooksController_secret"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/endpoints/{id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["WebhooksController_sendTest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/event-types": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every event type with a JSON Schema of its `data`. */
        get: operations["WebhooksController_eventTypes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Per endpoint over the last 24 h: success rate, p50/p99 latency, backlog, last error. */
        get: operations["WebhooksController_stats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** 200 when the database answers, else 503. */
        get: operations["HealthController_check"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        ApiKeyResponse: {
            createdAt: string;
            id: string;
            name: string;
            revokedAt: string | null;
            scopes: ("admin" | "staff" | "endpoints" | "offers")[];
        };
        AttemptPageResponse: {
            /** @description How many attempts the delivery has in all */
            attemptsTotal: number;
            /** @description Newest first */
            data: components["schemas"]["AttemptResponse"][];
            /** @description `before` for the next (older) page; null when there is none */
            next: string | null;
        };
        AttemptResponse: {
            at: string;
            durationMs: number;
            error: string | null;
            responseBody: string | null;
            statusCode: number | null;
        };
        AvailabilityResponse: {
            byCapacity: {
                [key: string]: components["schemas"]["CapacityAvailability"];
            };
            free: number;
            tables: components["schemas"]["FloorTable"][];
            total: number;
            waiting: number;
        };
        CapacityAvailability: {
            estimatedWaitMinutes: number;
            free: number;
            total: number;
        };
        ChargeAccepted: {
            /** @description The gateway's id for the payment; the payment itself arrives later as its webhook */
            paymentId: string;
        };
        ChargeDto: {
            /**
             * @description Minor units (cents)
             * @example 4250
             */
            amount: number;
            /** @example EUR */
            currency: string;
        };
        CheckedInGuestResponse: {
            checkedInAt: string;
            /** @description null unless marketingOptIn */
            email: string | null;
            /** @example gst_01JD5Z4Q2V8N7T3K9M6B1C0XYZ */
            id: string;
            leftAt: string | null;
            /** @enum {string|null} */
            leftReason: "cancelled" | "no_show" | "finished" | null;
            marketingOptIn: boolean;
            name: string;
            notes: string | null;
            paid: boolean;
            partySize: number;
            /** @description null unless marketingOptIn */
            phone: string | null;
            position: number | null;
            quotedWaitMinutes: number | null;
            seatedAt: string | null;
            /** @enum {string} */
            status: "waiting" | "seated" | "left";
            tableId: string | null;
            /** @description Send as `X-Guest-Token` to act on this guest; shown only here. */
            token: string;
        };
        CheckInDto: {
            /**
             * Format: email
             * @example anna@example.com
             */
            email?: string | null;
            /** @default false */
            marketingOptIn: boolean;
            /** @example Anna */
            name: string;
            notes?: string | null;
            /** @example 2 */
            partySize: number;
            /** @example +4915112345678 */
            phone?: string | null;
        };
        CreateApiKeyDto: {
            name: string;
            scopes: ("admin" | "staff" | "endpoints" | "offers")[];
        };
        CreatedApiKeyResponse: {
            createdAt: string;
            id: string;
            /** @description The key itself: shown only in this response. */
            key: string;
            name: string;
            revokedAt: string | null;
            scopes: ("admin" | "staff" | "endpoints" | "offers")[];
        };
        CreatedEndpointResponse: {
            createdAt: string;
            description: string | null;
            disabledReason: string | null;
            enabled: boolean;
            eventTypes: string[];
            id: string;
            /** @example whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw */
            secret: string;
            updatedAt: string;
            url: string;
        };
        CreateEndpointDto: {
            description?: string | null;
            /** @description Event types to receive; empty or absent means all */
            eventTypes?: ("guest.checked_in" | "guest.updated" | "guest.seated" | "guest.left" | "table.status_changed" | "offer.created" | "payment.received")[];
            /** @example https://crm.example.com/hooks/maitred */
            url: string;
        };
        CreateOfferDto: {
            description?: string | null;
            /** @example Your first drink is on us */
            title: string;
        };
        CreateTableDto: {
            capacity: number;
            label: string;
        };
        DeliveryResponse: {
            attemptCount: number;
            createdAt: string;
            deliveredAt: string | null;
            endpointId: string;
            eventId: string;
            eventType: string;
            id: string;
            lastError: string | null;
            lastStatusCode: number | null;
            nextAttemptAt: string | null;
            /** @enum {string} */
            status: "pending" | "succeeded" | "failed";
        };
        DeliveryWithAttemptsResponse: {
            attemptCount: number;
            /** @description The newest 20 attempts, oldest of them first; page the rest with GET /api/webhooks/deliveries/{id}/attempts */
            attempts: components["schemas"]["AttemptResponse"][];
            /** @description How many attempts the delivery has in all */
            attemptsTotal: number;
            createdAt: string;
            deliveredAt: string | null;
            endpointId: string;
            eventId: string;
            eventType: string;
            id: string;
            lastError: string | null;
            lastStatusCode: number | null;
            nextAttemptAt: string | null;
            /** @enum {string} */
            status: "pending" | "succeeded" | "failed";
        };
        EndpointResponse: {
            createdAt: string;
            description: string | null;
            disabledReason: string | null;
            enabled: boolean;
            eventTypes: string[];
            id: string;
            updatedAt: string;
            url: string;
        };
        EndpointStatsResponse: {
            attempts24h: number;
            /** @description Pending deliveries */
            backlog: number;
            enabled: boolean;
            endpointId: string;
            lastError: string | null;
            lastErrorAt: string | null;
            p50LatencyMs: number | null;
            p99LatencyMs: number | null;
            /** @description Successful attempts / all attempts in the last 24 h (null without attempts) */
            successRate: number | null;
            url: string;
        };
        EventDto: {
            data: {
                [key: string]: unknown;
            };
            id: string;
            timestamp: string;
            type: string;
        };
        EventTypeResponse: {
            description: string;
            /** @description JSON Schema of `data` */
            schema: {
                [key: string]: unknown;
            };
            type: string;
        };
        FeedResponseDto: {
            data: components["schemas"]["EventDto"][];
            /** @description Cursor for the next page: the last returned id, or `after` when none */
            next: string | null;
        };
        FieldChange: {
            from: (string | number | boolean) | null;
            to: (string | number | boolean) | null;
        };
        FloorTable: {
            capacity: number;
            id: string;
            label: string;
            /** @enum {string} */
            status: "free" | "occupied" | "reserved" | "cleaning";
        };
        GuestCheckedIn: {
            guest: components["schemas"]["GuestSnapshot"];
        };
        GuestLeft: {
            guest: components["schemas"]["GuestSnapshot"];
            /** @enum {string} */
            reason: "cancelled" | "no_show" | "finished";
        };
        GuestResponse: {
            checkedInAt: string;
            /** @description null unless marketingOptIn */
            email: string | null;
            /** @example gst_01JD5Z4Q2V8N7T3K9M6B1C0XYZ */
            id: string;
            leftAt: string | null;
            /** @enum {string|null} */
            leftReason: "cancelled" | "no_show" | "finished" | null;
            marketingOptIn: boolean;
            name: string;
            notes: string | null;
            paid: boolean;
            partySize: number;
            /** @description null unless marketingOptIn */
            phone: string | null;
            position: number | null;
            quotedWaitMinutes: number | null;
            seatedAt: string | null;
            /** @enum {string} */
            status: "waiting" | "seated" | "left";
            tableId: string | null;
        };
        GuestSeated: {
            guest: components["schemas"]["GuestSnapshot"];
            table: components["schemas"]["TableSnapshot"];
        };
        GuestSnapshot: {
            checkedInAt: string;
            /** @description null unless marketingOptIn */
            email: string | null;
            /** @example gst_01JD5Z4Q2V8N7T3K9M6B1C0XYZ */
            id: string;
            leftAt: string | null;
            /** @enum {string|null} */
            leftReason: "cancelled" | "no_show" | "finished" | null;
            marketingOptIn: boolean;
            name: string;
            notes: string | null;
            paid: boolean;
            partySize: number;
            /** @description null unless marketingOptIn */
            phone: string | null;
            position: number | null;
            quotedWaitMinutes: number | null;
            seatedAt: string | null;
            /** @enum {string} */
            status: "waiting" | "seated" | "left";
            tableId: string | null;
        };
        GuestUpdated: {
            changes: {
                [key: string]: components["schemas"]["FieldChange"];
            };
            guest: components["schemas"]["GuestSnapshot"];
        };
        LeaveDto: {
            /**
             * @description Default: cancelled when waiting, finished when seated
             * @enum {string}
             */
            reason?: "cancelled" | "no_show" | "finished";
        };
        OfferCreated: {
            guest: components["schemas"]["GuestSnapshot"];
            offer: components["schemas"]["OfferSnapshot"];
        };
        OfferResponse: {
            createdAt: string;
            description: string | null;
            guestId: string;
            id: string;
            title: string;
        };
        OfferSnapshot: {
            createdAt: string;
            description: string | null;
            guestId: string;
            id: string;
            title: string;
        };
        PaymentReceived: {
            guest: components["schemas"]["GuestSnapshot"];
            payment: components["schemas"]["PaymentSnapshot"];
        };
        PaymentResponse: {
            amount: number;
            currency: string;
            guestId: string;
            id: string;
            paymentId: string;
            receivedAt: string;
        };
        PaymentSnapshot: {
            amount: number;
            currency: string;
            guestId: string;
            id: string;
            paymentId: string;
            receivedAt: string;
        };
        PaymentSucceededData: {
            /**
             * @description Minor units (cents)
             * @example 4250
             */
            amount: number;
            /** @example EUR */
            currency: string;
            /** @example gst_01JD5Z4Q2V8N7T3K9M6B1C0XYZ */
            guestId: string;
            /** @example pi_3f9c2a7e */
            paymentId: string;
        };
        PaymentWebhookAck: {
            /** @description The payment or webhook-id was already recorded; nothing changed */
            duplicate?: boolean;
            /** @description Not a payment.succeeded event; nothing recorded */
            ignored?: boolean;
            /** @enum {boolean} */
            received: true;
        };
        PaymentWebhookBody: {
            data: components["schemas"]["PaymentSucceededData"];
            /**
             * @description Other types are acknowledged and ignored
             * @example payment.succeeded
             */
            type: string;
        };
        RecoverDto: {
            /**
             * Format: date-time
             * @example 2026-11-28T00:00:00.000Z
             */
            since: string;
        };
        SeatGuestDto: {
            /** @example tbl_01JD5Z4Q2V8N7T3K9M6B1C0XYZ */
            tableId: string;
        };
        SecretResponse: {
            secret: string;
        };
        TableResponse: {
            capacity: number;
            /** @description Only for staff */
            guestId?: string | null;
            id: string;
            label: string;
            /** @enum {string} */
            status: "free" | "occupied" | "reserved" | "cleaning";
        };
        TableSnapshot: {
            capacity: number;
            guestId: string | null;
            id: string;
            label: string;
            /** @enum {string} */
            status: "free" | "occupied" | "reserved" | "cleaning";
        };
        TableStatusChanged: {
            /** @enum {string} */
            previousStatus: "free" | "occupied" | "reserved" | "cleaning";
            table: components["schemas"]["TableSnapshot"];
        };
        UpdateEndpointDto: {
            description?: string | null;
            enabled?: boolean;
            eventTypes?: ("guest.checked_in" | "guest.updated" | "guest.seated" | "guest.left" | "table.status_changed" | "offer.created" | "payment.received")[];
            url?: string;
        };
        UpdateGuestDto: {
            /**
             * Format: email
             * @description An email address, or null to remove it.
             */
            email?: string | null;
            marketingOptIn?: boolean;
            name?: string;
            partySize?: number;
            /** @description An E.164 phone number, or null to remove it. */
            phone?: string | null;
        };
        UpdateTableDto: {
            /** @enum {string} */
            status: "free" | "reserved" | "cleaning";
        };
        WebhookTest: {
            endpointId: string;
            message: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    AvailabilityController_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AvailabilityResponse"];
                };
            };
        };
    };
    EventsController_feed: {
        parameters: {
            query?: {
                /** @description Return events recorded after this event id. */
                after?: string;
                /** @description Page size (default 100, max 500). */
                limit?: number;
                /** @description Comma-separated event types, e.g. guest.checked_in,guest.left */
                types?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FeedResponseDto"];
                };
            };
        };
    };
    GuestsController_list: {
        parameters: {
            query?: {
                limit?: number;
                status?: "waiting" | "seated" | "left";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GuestResponse"][];
                };
            };
        };
    };
    GuestsController_checkIn: {
        parameters: {
            query?: never;
            header?: {
                /** @description Repeat a request safely: the same key from the same caller within 24 h returns the first response. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CheckInDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CheckedInGuestResponse"];
                };
            };
            /** @description More than CHECKIN_RATE_LIMIT check-ins from this address in a minute */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    GuestsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GuestResponse"];
                };
            };
        };
    };
    GuestsController_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateGuestDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GuestResponse"];
                };
            };
        };
    };
    PaymentsController_charge: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ChargeDto"];
            };
        };
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChargeAccepted"];
                };
            };
            /** @description Not seated, already paid, or another charge in progress */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No gateway configured, or the gateway is unreachable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    GuestsController_leave: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LeaveDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GuestResponse"];
                };
            };
        };
    };
    GuestsController_listOffers: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OfferResponse"][];
                };
            };
        };
    };
    GuestsController_createOffer: {
        parameters: {
            query?: never;
            header?: {
                /** @description Repeat a request safely: the same key from the same caller within 24 h returns the first response. */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateOfferDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OfferResponse"];
                };
            };
        };
    };
    PaymentsController_list: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaymentResponse"][];
                };
            };
        };
    };
    GuestsController_seat: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SeatGuestDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GuestResponse"];
                };
            };
        };
    };
    InboundPaymentsController_receive: {
        parameters: {
            query?: never;
            header: {
                "webhook-id": string;
                /** @description v1,<base64 HMAC-SHA256>, space-separated */
                "webhook-signature": string;
                /** @description Unix seconds */
                "webhook-timestamp": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PaymentWebhookBody"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaymentWebhookAck"];
                };
            };
            /** @description Missing, wrong or stale signature */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description PAYMENT_WEBHOOK_SECRET is not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    KeysController_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyResponse"][];
                };
            };
        };
    };
    KeysController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateApiKeyDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedApiKeyResponse"];
                };
            };
        };
    };
    KeysController_revoke: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyResponse"];
                };
            };
        };
    };
    TablesController_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TableResponse"][];
                };
            };
        };
    };
    TablesController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateTableDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TableResponse"];
                };
            };
        };
    };
    TablesController_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateTableDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TableResponse"];
                };
            };
        };
    };
    WebhooksController_attemptsOf: {
        parameters: {
            query?: {
                /** @description The `next` cursor of the previous page: return attempts older than it */
                before?: string;
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AttemptPageResponse"];
                };
            };
            /** @description No such delivery, or another key's */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    WebhooksController_retry: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeliveryResponse"];
                };
            };
        };
    };
    WebhooksController_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EndpointResponse"][];
                };
            };
        };
    };
    WebhooksController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateEndpointDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedEndpointResponse"];
                };
            };
            /** @description WEBHOOK_MAX_ENDPOINTS_PER_KEY or WEBHOOK_MAX_ENDPOINTS reached */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    WebhooksController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EndpointResponse"];
                };
            };
        };
    };
    WebhooksController_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    WebhooksController_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateEndpointDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EndpointResponse"];
                };
            };
        };
    };
    WebhooksController_deliveriesOf: {
        parameters: {
            query?: {
                /** @description Return deliveries older than this delivery id */
                before?: string;
                limit?: number;
                status?: "pending" | "succeeded" | "failed";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeliveryWithAttemptsResponse"][];
                };
            };
        };
    };
    WebhooksController_recover: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RecoverDto"];
            };
        };
        responses: {
            /** @description { count }: failed deliveries re-queued */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    WebhooksController_rotateSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SecretResponse"];
                };
            };
        };
    };
    WebhooksController_secret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SecretResponse"];
                };
            };
        };
    };
    WebhooksController_sendTest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description { eventId } */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    WebhooksController_eventTypes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventTypeResponse"][];
                };
            };
        };
    };
    WebhooksController_stats: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EndpointStatsResponse"][];
                };
            };
        };
    };
    HealthController_check: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description { status: "ok", database: "ok", uptimeSeconds } */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description { status: "unavailable", database: "unreachable" } */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
}
