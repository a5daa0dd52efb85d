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
        /** One guest, with their place in line and quote while waiting. */
        get: operations["GuestsController_get"];
        put?: never;
        post?: never;
        /**
         * Erase a guest's personal data: name, email, phone and notes leave the guest and every stored
         *     event (times and party size stay); a waiting or seated guest leaves first; writes
         *     `guest.erased`. Erasing an erased guest again changes nothing and answers the same.
         */
        delete: operations["GuestsController_erase"];
        options?: never;
        head?: never;
        /** Change a guest's details; null removes an email or phone. */
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
    "/api/guests/{id}/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A paged guest is on their way (the guest themself, or staff for them). */
        post: operations["GuestsController_confirm"];
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
    "/api/guests/{id}/notify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Page a waiting guest ("your table is ready"), optionally holding a free table that fits until TABLE_HOLD ends. */
        post: operations["GuestsController_notify"];
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
        /** The offers made to a guest, oldest first. */
        get: operations["GuestsController_listOffers"];
        put?: never;
        /** Make an offer to a guest (the guest sees it live, and an offer.created event goes out). */
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
        /** The payments recorded for a guest, oldest first. */
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
        /** Every API key, revoked ones included (never the keys themselves). */
        get: operations["KeysController_list"];
        put?: never;
        /** Create an API key with scopes; the key itself is shown only in this response. */
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
        /** Revoke a key: it stops working at once, and its live connections are closed. */
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
        /** Add a table to the floor (free). */
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
        /** Set a table's status; moves the table state machine refuses answer 409. */
        patch: operations["TablesController_update"];
        trace?: never;
    };
    "/api/waitlist/accuracy": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** How well quotes kept their word: the quote at check-in against the actual wait of guests seated since `since`. */
        get: operations["AccuracyController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/deliveries/{id}/attempts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every attempt of a delivery, newest first, a page at a time. */
        get: operations["WebhooksController_attemptsOf"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/deliveries/{id}/request": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed request of a delivery's latest attempt (URL, headers, body), e.g. to replay it with curl. */
        get: operations["WebhooksController_requestOf"];
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
        /** Queue a delivery again now, whatever its status, with a fresh retry schedule. */
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
        /** The endpoints this key registered (every endpoint, for an admin key). */
        get: operations["WebhooksController_list"];
        put?: never;
        /** Register an endpoint; it belongs to the key that registers it, and its secret is in this response. */
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
        /** One endpoint of this key. */
        get: operations["WebhooksController_get"];
        put?: never;
        post?: never;
        /** Delete an endpoint and its deliveries. */
        delete: operations["WebhooksController_remove"];
        options?: never;
        head?: never;
        /** Change an endpoint's URL, description, event types, or enable and disable it. */
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
        /** The endpoint's deliveries, newest first, each with its newest 20 attempts. */
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
        /** Queue again every failed delivery of the endpoint created at or after `since`. */
        post: operations["WebhooksController_recover"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/endpoints/{id}/replay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send every event of a window that the endpoint's filter matches again, as new deliveries with their original webhook-ids. */
        post: operations["WebhooksController_replay"];
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
        /** A new signing secret; the old one keeps signing too for WEBHOOK_SECRET_GRACE. */
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
        /** The endpoint's current signing secret. */
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
        /** Send a `webhook.test` event to this endpoint only. */
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
        /** Liveness and database reachability: 200 when the database answers, else 503 with the same body. */
        get: operations["HealthController_check"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the process is up and serving; nothing else is asked, so a database outage never restarts it. */
        get: operations["HealthController_live"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: 200 when the database answers, migrations are applied and the dispatcher runs; else 503 naming what failed. */
        get: operations["HealthController_ready"];
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
        AccuracyResponse: {
            /** @description By the size of the table they were seated at */
            byCapacity: {
                [key: string]: components["schemas"]["CapacityAccuracy"];
            };
            /** @description Mean of |actual − quoted at check-in|, minutes (2 decimals) */
            meanAbsoluteErrorMinutes: number | null;
            /** @description Guests seated in the period with a kept quote */
            seated: number;
            /** @description Share that waited longer than quoted */
            underQuotedShare: number | null;
            /** @description Share off by at most 5 minutes */
            withinFiveMinutesShare: number | null;
        };
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
        CapacityAccuracy: {
            meanAbsoluteErrorMinutes: number | null;
            seated: number;
        };
        CapacityAvailability: {
            estimatedWaitMinutes: number;
            /** @description Where that wait will most likely end */
            estimatedWaitRange: components["schemas"]["QuoteRange"];
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
            /** @description Once seated: whole minutes from check-in to seat */
            actualWaitMinutes: number | null;
            checkedInAt: string;
            /** @description When the paged guest said they are on their way */
            confirmedAt: string | null;
            /** @description In events (feed, webhooks) null unless marketingOptIn */
            email: string | null;
            /** @description When the guest's personal data was erased: name empty, email, phone and notes null (null until then) */
            erasedAt: string | null;
            /** @description The table held for the guest while paged, if any */
            heldTableId: string | null;
            /** @description When the hold ends (null unless paged) */
            holdUntil: string | null;
            /** @example gst_01JD5Z4Q2V8N7T3K9M6B1C0XYZ */
            id: string;
            leftAt: string | null;
            /** @enum {string|null} */
            leftReason: "cancelled" | "no_show" | "finished" | null;
            marketingOptIn: boolean;
            name: string;
            notes: string | null;
            /** @description When staff paged the guest ("your table is ready") */
            notifiedAt: string | null;
            paid: boolean;
            partySize: number;
            /** @description In events (feed, webhooks) null unless marketingOptIn */
            phone: string | null;
            position: number | null;
            /** @description The quote given at check-in, kept (null when no table existed then) */
            quotedWaitAtCheckIn: number | null;
            quotedWaitMinutes: number | null;
            /** @description Range of the current quote (null unless waiting) */
            quotedWaitRange: components["schemas"]["QuoteRange"] | (never | null);
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
            /**
             * @description Read-only. `failing`: its latest attempts failed. `paused`: its circuit breaker is open after 5 consecutive failed attempts (WEBHOOK_BREAKER_AFTER): no attempt is made until `nextProbeAt` (a cool-down of 30 s, doubling on each re-open up to 10 min), then one probe attempt; its success closes the breaker. Paused deliveries wait without using up retries.
             * @enum {string}
             */
            health: "healthy" | "failing" | "paused";
            id: string;
            /**
             * Format: date-time
             * @description Read-only, RFC 3339. While `paused`: when the next probe attempt may be made (while a probe is in flight, the end of its lease). Null otherwise.
             */
            nextProbeAt: string | null;
            /**
             * @description `per_guest`: events about one guest (or one table without a guest) reach the endpoint strictly in feed order, the next only after the previous one succeeded or ended `failed`; other guests are not held back. `none`: no ordering constraint
             * @enum {string}
             */
            ordering: "none" | "per_guest";
            /**
             * @description For `ed25519` endpoints
             * @example whpk_11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=
             */
            publicKey?: string;
            /** @description Attempts per second to this endpoint over all instances (at most 10 % over in any 5 s window); null: no limit. 429, 502 and 504 answers also slow an endpoint down for a while, with or without a limit */
            rateLimitPerSecond: number | null;
            /**
             * @description For `hmac` endpoints
             * @example whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
             */
            secret?: string;
            /**
             * @description `hmac`: Standard Webhooks `v1,` (HMAC-SHA256, a `whsec_` secret); `ed25519`: `v1a,` (Ed25519, verify with the `whpk_` public key from …/secret)
             * @enum {string}
             */
            signing: "hmac" | "ed25519";
            updatedAt: string;
            url: string;
        };
        CreateEndpointDto: {
            description?: string | null;
            /** @description Event types to receive; empty or absent means every domain event (operational ones only when listed) */
            eventTypes?: ("guest.checked_in" | "guest.updated" | "guest.seated" | "guest.left" | "guest.notified" | "guest.confirmed" | "guest.erased" | "table.status_changed" | "offer.created" | "payment.received" | "endpoint.disabled" | "delivery.exhausted")[];
            /**
             * @description `per_guest`: events about one guest (or one table without a guest) reach the endpoint strictly in feed order, the next only after the previous one succeeded or ended `failed`; other guests are not held back. `none`: no ordering constraint
             * @default none
             * @enum {string}
             */
            ordering: "none" | "per_guest";
            /** @description Attempts per second to this endpoint over all instances (at most 10 % over in any 5 s window); null: no limit. 429, 502 and 504 answers also slow an endpoint down for a while, with or without a limit */
            rateLimitPerSecond?: number | null;
            /**
             * @description `hmac`: Standard Webhooks `v1,` (HMAC-SHA256, a `whsec_` secret); `ed25519`: `v1a,` (Ed25519, verify with the `whpk_` public key from …/secret)
             * @default hmac
             * @enum {string}
             */
            signing: "hmac" | "ed25519";
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
        DeliveryExhausted: {
            /** @description How many attempts the delivery made in all */
            attempts: number;
            deliveryId: string;
            endpointId: string;
            /** @description The event the delivery carried (its webhook-id) */
            eventId: string;
            eventType: string;
        };
        /** @description The body of a `delivery.exhausted` webhook, signed as sent (verify the raw bytes) */
        DeliveryExhaustedWebhook: {
            data: components["schemas"]["DeliveryExhausted"];
            /** Format: date-time */
            timestamp: string;
            /** @enum {string} */
            type: "delivery.exhausted";
        };
        DeliveryRequestResponse: {
            /** @description The exact bytes signed and sent */
            body: string;
            /** @description content-type, user-agent, webhook-id, webhook-timestamp (of the latest attempt) and webhook-signature */
            headers: {
                [key: string]: string;
            };
            /** @enum {string} */
            method: "POST";
            url: string;
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
        EndpointDisabled: {
            /** @example ep_01JD5Z4Q2V8N7T3K9M6B1C0XYZ */
            endpointId: string;
            /**
             * @description Why: `key_revoked`, 410 Gone, a long failing streak, or its owner
             * @example key_revoked
             */
            reason: string;
        };
        /** @description The body of a `endpoint.disabled` webhook, signed as sent (verify the raw bytes) */
        EndpointDisabledWebhook: {
            data: components["schemas"]["EndpointDisabled"];
            /** Format: date-time */
            timestamp: string;
            /** @enum {string} */
            type: "endpoint.disabled";
        };
        EndpointResponse: {
            createdAt: string;
            description: string | null;
            disabledReason: string | null;
            enabled: boolean;
            eventTypes: string[];
            /**
             * @description Read-only. `failing`: its latest attempts failed. `paused`: its circuit breaker is open after 5 consecutive failed attempts (WEBHOOK_BREAKER_AFTER): no attempt is made until `nextProbeAt` (a cool-down of 30 s, doubling on each re-open up to 10 min), then one probe attempt; its success closes the breaker. Paused deliveries wait without using up retries.
             * @enum {string}
             */
            health: "healthy" | "failing" | "paused";
            id: string;
            /**
             * Format: date-time
             * @description Read-only, RFC 3339. While `paused`: when the next probe attempt may be made (while a probe is in flight, the end of its lease). Null otherwise.
             */
            nextProbeAt: string | null;
            /**
             * @description `per_guest`: events about one guest (or one table without a guest) reach the endpoint strictly in feed order, the next only after the previous one succeeded or ended `failed`; other guests are not held back. `none`: no ordering constraint
             * @enum {string}
             */
            ordering: "none" | "per_guest";
            /** @description Attempts per second to this endpoint over all instances (at most 10 % over in any 5 s window); null: no limit. 429, 502 and 504 answers also slow an endpoint down for a while, with or without a limit */
            rateLimitPerSecond: number | null;
            /**
             * @description `hmac`: Standard Webhooks `v1,` (HMAC-SHA256, a `whsec_` secret); `ed25519`: `v1a,` (Ed25519, verify with the `whpk_` public key from …/secret)
             * @enum {string}
             */
            signing: "hmac" | "ed25519";
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
        ErrorResponse: {
            details: components["schemas"]["FieldIssueResponse"][];
            /**
             * @description The status text
             * @example Bad Request
             */
            error: string;
            /**
             * @description For people; read `details` in code
             * @example partySize must be a whole number
             */
            message: string;
            /** @description Also in the x-request-id header; quote it when reporting a problem */
            requestId: string;
            /** @example 400 */
            statusCode: number;
        };
        /** @description An event: `type` says which schema `data` has */
        EventDto: components["schemas"]["GuestCheckedInEvent"] | components["schemas"]["GuestUpdatedEvent"] | components["schemas"]["GuestSeatedEvent"] | components["schemas"]["GuestLeftEvent"] | components["schemas"]["GuestNotifiedEvent"] | components["schemas"]["GuestConfirmedEvent"] | components["schemas"]["GuestErasedEvent"] | components["schemas"]["TableStatusChangedEvent"] | components["schemas"]["OfferCreatedEvent"] | components["schemas"]["PaymentReceivedEvent"];
        EventTypeResponse: {
            description: string;
            /** @description About the webhook system itself: sent only to endpoints of the same key that list it, never in /api/events */
            operational: boolean;
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
            from: (string | null) | number | boolean;
            to: (string | null) | number | boolean;
        };
        FieldIssueResponse: {
            /**
             * @description The field at fault (dotted for nested ones), or `body` for the whole body
             * @example partySize
             */
            field: string;
            /** @example must be a whole number */
            message: string;
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
        /** @description A guest checked in and joined the waitlist. */
        GuestCheckedInEvent: {
            data: components["schemas"]["GuestCheckedIn"];
            /** @description Unique and ordered: the feed cursor and the webhook-id */
            id: string;
            /** Format: date-time */
            timestamp: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "guest.checked_in";
        };
        /** @description The body of a `guest.checked_in` webhook, signed as sent (verify the raw bytes) */
        GuestCheckedInWebhook: {
            data: components["schemas"]["GuestCheckedIn"];
            /** Format: date-time */
            timestamp: string;
            /** @enum {string} */
            type: "guest.checked_in";
        };
        GuestConfirmed: {
            guest: components["schemas"]["GuestSnapshot"];
        };
        /** @description A paged guest said they are on their way. */
        GuestConfirmedEvent: {
            data: components["schemas"]["GuestConfirmed"];
            /** @description Unique and ordered: the feed cursor and the webhook-id */
            id: string;
            /** Format: date-time */
            timestamp: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "guest.confirmed";
        };
        /** @description The body of a `guest.confirmed` webhook, signed as sent (verify the raw bytes) */
        GuestConfirmedWebhook: {
            data: components["schemas"]["GuestConfirmed"];
            /** Format: date-time */
            timestamp: string;
            /** @enum {string} */
            type: "guest.confirmed";
        };
        GuestErased: {
            /** @example gst_01JD5Z4Q2V8N7T3K9M6B1C0XYZ */
            guestId: string;
        };
        /** @description A guest's personal data (name, email, phone, notes) was erased, from the guest and from every stored event: delete what you keep about them. */
        GuestErasedEvent: {
            data: components["schemas"]["GuestErased"];
            /** @description Unique and ordered: the feed cursor and the webhook-id */
            id: string;
            /** Format: date-time */
            timestamp: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "guest.erased";
        };
        /** @description The body of a `guest.erased` webhook, signed as sent (verify the raw bytes) */
        GuestErasedWebhook: {
            data: components["schemas"]["GuestErased"];
            /** Format: date-time */
            timestamp: string;
            /** @enum {string} */
            type: "guest.erased";
        };
        GuestLeft: {
            guest: components["schemas"]["GuestSnapshot"];
            /** @enum {string} */
            reason: "cancelled" | "no_show" | "finished";
        };
        /** @description A guest left the waitlist or finished their meal. */
        GuestLeftEvent: {
            data: components["schemas"]["GuestLeft"];
            /** @description Unique and ordered: the feed cursor and the webhook-id */
            id: string;
            /** Format: date-time */
            timestamp: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "guest.left";
        };
        /** @description The body of a `guest.left` webhook, signed as sent (verify the raw bytes) */
        GuestLeftWebhook: {
            data: components["schemas"]["GuestLeft"];
            /** Format: date-time */
            timestamp: string;
            /** @enum {string} */
            type: "guest.left";
        };
        GuestNotified: {
            guest: components["schemas"]["GuestSnapshot"];
            holdUntil: string;
            /** @description Staff's note for the guest */
            message: string | null;
            /** @description The table held for the guest, if staff picked one */
            table: components["schemas"]["TableSnapshot"] | (never | null);
        };
        /** @description Staff paged a waiting guest ("your table is ready"); a held table is reserved for them until `holdUntil`. */
        GuestNotifiedEvent: {
            data: components["schemas"]["GuestNotified"];
            /** @description Unique and ordered: the feed cursor and the webhook-id */
            id: string;
            /** Format: date-time */
            timestamp: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "guest.notified";
        };
        /** @description The body of a `guest.notified` webhook, signed as sent (verify the raw bytes) */
        GuestNotifiedWebhook: {
            data: components["schemas"]["GuestNotified"];
            /** Format: date-time */
            timestamp: string;
            /** @enum {string} */
            type: "guest.notified";
        };
        GuestResponse: {
            /** @description Once seated: whole minutes from check-in to seat */
            actualWaitMinutes: number | null;
            checkedInAt: string;
            /** @description When the paged guest said they are on their way */
            confirmedAt: string | null;
            /** @description In events (feed, webhooks) null unless marketingOptIn */
            email: string | null;
            /** @description When the guest's personal data was erased: name empty, email, phone and notes null (null until then) */
            erasedAt: string | null;
            /** @description The table held for the guest while paged, if any */
            heldTableId: string | null;
            /** @description When the hold ends (null unless paged) */
            holdUntil: string | null;
            /** @example gst_01JD5Z4Q2V8N7T3K9M6B1C0XYZ */
            id: string;
            leftAt: string | null;
            /** @enum {string|null} */
            leftReason: "cancelled" | "no_show" | "finished" | null;
            marketingOptIn: boolean;
            name: string;
            notes: string | null;
            /** @description When staff paged the guest ("your table is ready") */
            notifiedAt: string | null;
            paid: boolean;
            partySize: number;
            /** @description In events (feed, webhooks) null unless marketingOptIn */
            phone: string | null;
            position: number | null;
            /** @description The quote given at check-in, kept (null when no table existed then) */
            quotedWaitAtCheckIn: number | null;
            quotedWaitMinutes: number | null;
            /** @description Range of the current quote (null unless waiting) */
            quotedWaitRange: components["schemas"]["QuoteRange"] | (never | null);
            seatedAt: string | null;
            /** @enum {string} */
            status: "waiting" | "seated" | "left";
            tableId: string | null;
        };
        GuestSeated: {
            guest: components["schemas"]["GuestSnapshot"];
            table: components["schemas"]["TableSnapshot"];
        };
        /** @description A waiting guest was seated at a table. */
        GuestSeatedEvent: {
            data: components["schemas"]["GuestSeated"];
            /** @description Unique and ordered: the feed cursor and the webhook-id */
            id: string;
            /** Format: date-time */
            timestamp: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "guest.seated";
        };
        /** @description The body of a `guest.seated` webhook, signed as sent (verify the raw bytes) */
        GuestSeatedWebhook: {
            data: components["schemas"]["GuestSeated"];
            /** Format: date-time */
            timestamp: string;
            /** @enum {string} */
            type: "guest.seated";
        };
        GuestSnapshot: {
            /** @description Once seated: whole minutes from check-in to seat */
            actualWaitMinutes: number | null;
            checkedInAt: string;
            /** @description When the paged guest said they are on their way */
            confirmedAt: string | null;
            /** @description In events (feed, webhooks) null unless marketingOptIn */
            email: string | null;
            /** @description When the guest's personal data was erased: name empty, email, phone and notes null (null until then) */
            erasedAt: string | null;
            /** @description The table held for the guest while paged, if any */
            heldTableId: string | null;
            /** @description When the hold ends (null unless paged) */
            holdUntil: string | null;
            /** @example gst_01JD5Z4Q2V8N7T3K9M6B1C0XYZ */
            id: string;
            leftAt: string | null;
            /** @enum {string|null} */
            leftReason: "cancelled" | "no_show" | "finished" | null;
            marketingOptIn: boolean;
            name: string;
            notes: string | null;
            /** @description When staff paged the guest ("your table is ready") */
            notifiedAt: string | null;
            paid: boolean;
            partySize: number;
            /** @description In events (feed, webhooks) null unless marketingOptIn */
            phone: string | null;
            position: number | null;
            /** @description The quote given at check-in, kept (null when no table existed then) */
            quotedWaitAtCheckIn: number | null;
            quotedWaitMinutes: number | null;
            /** @description Range of the current quote (null unless waiting) */
            quotedWaitRange: components["schemas"]["QuoteRange"] | (never | null);
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
        /** @description A guest's details changed; `changes` lists each field's previous and new value. */
        GuestUpdatedEvent: {
            data: components["schemas"]["GuestUpdated"];
            /** @description Unique and ordered: the feed cursor and the webhook-id */
            id: string;
            /** Format: date-time */
            timestamp: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "guest.updated";
        };
        /** @description The body of a `guest.updated` webhook, signed as sent (verify the raw bytes) */
        GuestUpdatedWebhook: {
            data: components["schemas"]["GuestUpdated"];
            /** Format: date-time */
            timestamp: string;
            /** @enum {string} */
            type: "guest.updated";
        };
        HealthResponse: {
            /** @enum {string} */
            database: "ok" | "unreachable";
            /** @enum {string} */
            dialect: "sqlite" | "postgres";
            /** @enum {string} */
            status: "ok" | "unavailable";
            uptimeSeconds: number;
        };
        LeaveDto: {
            /**
             * @description Default: cancelled when waiting, finished when seated
             * @enum {string}
             */
            reason?: "cancelled" | "no_show" | "finished";
        };
        LivenessResponse: {
            /** @enum {string} */
            status: "ok";
            uptimeSeconds: number;
        };
        NotifyGuestDto: {
            /** @example Your table by the window is ready. */
            message?: string;
            /**
             * @description A free table that fits the party, held for them until the hold ends.
             * @example tbl_01JD5Z4Q2V8N7T3K9M6B1C0XYZ
             */
            tableId?: string;
        };
        OfferCreated: {
            guest: components["schemas"]["GuestSnapshot"];
            offer: components["schemas"]["OfferSnapshot"];
        };
        /** @description An offer was made to a guest. */
        OfferCreatedEvent: {
            data: components["schemas"]["OfferCreated"];
            /** @description Unique and ordered: the feed cursor and the webhook-id */
            id: string;
            /** Format: date-time */
            timestamp: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "offer.created";
        };
        /** @description The body of a `offer.created` webhook, signed as sent (verify the raw bytes) */
        OfferCreatedWebhook: {
            data: components["schemas"]["OfferCreated"];
            /** Format: date-time */
            timestamp: string;
            /** @enum {string} */
            type: "offer.created";
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
        /** @description A payment gateway reported a guest's paid bill. */
        PaymentReceivedEvent: {
            data: components["schemas"]["PaymentReceived"];
            /** @description Unique and ordered: the feed cursor and the webhook-id */
            id: string;
            /** Format: date-time */
            timestamp: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "payment.received";
        };
        /** @description The body of a `payment.received` webhook, signed as sent (verify the raw bytes) */
        PaymentReceivedWebhook: {
            data: components["schemas"]["PaymentReceived"];
            /** Format: date-time */
            timestamp: string;
            /** @enum {string} */
            type: "payment.received";
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
        QuoteRange: {
            high: number;
            low: number;
        };
        ReadinessChecksResponse: {
            /**
             * @description The database answers `SELECT 1` within 2 s
             * @enum {string}
             */
            database: "ok" | "unreachable";
            /**
             * @description This instance's webhook dispatcher is running
             * @enum {string}
             */
            dispatcher: "ok" | "stopped";
            /**
             * @description Every migration is applied (unknown while the database does not answer)
             * @enum {string}
             */
            migrations: "ok" | "pending" | "unknown";
        };
        ReadinessResponse: {
            checks: components["schemas"]["ReadinessChecksResponse"];
            /** @description The checks that failed; empty when ready */
            failed: ("database" | "migrations" | "dispatcher")[];
            /** @enum {string} */
            status: "ok" | "unavailable";
        };
        RecoverDto: {
            /**
             * Format: date-time
             * @description An RFC 3339 date-time, compared with each delivery's `createdAt`
             * @example 2026-11-28T00:00:00Z
             */
            since: string;
        };
        RecoveredResponse: {
            /** @description How many failed deliveries were queued again */
            count: number;
        };
        ReplayDto: {
            /** @description Only these types (within the endpoint's own filter); absent means every type the endpoint receives */
            eventTypes?: ("guest.checked_in" | "guest.updated" | "guest.seated" | "guest.left" | "guest.notified" | "guest.confirmed" | "guest.erased" | "table.status_changed" | "offer.created" | "payment.received")[];
            /**
             * Format: date-time
             * @description Replay events whose `timestamp` is at or after this
             * @example 2026-11-28T00:00:00Z
             */
            since: string;
            /**
             * Format: date-time
             * @description Up to and including this time (default now); after `since`
             */
            until?: string;
        };
        ReplayedResponse: {
            /** @description How many events were queued again, each as a new delivery with its original webhook-id */
            count: number;
        };
        SeatGuestDto: {
            /** @example tbl_01JD5Z4Q2V8N7T3K9M6B1C0XYZ */
            tableId: string;
        };
        SecretResponse: {
            /**
             * @description For `ed25519` endpoints: base64 of the raw 32-byte public key to verify `v1a` signatures with
             * @example whpk_11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=
             */
            publicKey?: string;
            /**
             * @description For `hmac` endpoints: the HMAC secret
             * @example whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
             */
            secret?: string;
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
        /** @description A table's status changed (seat, leave of a seated guest, or staff update). */
        TableStatusChangedEvent: {
            data: components["schemas"]["TableStatusChanged"];
            /** @description Unique and ordered: the feed cursor and the webhook-id */
            id: string;
            /** Format: date-time */
            timestamp: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "table.status_changed";
        };
        /** @description The body of a `table.status_changed` webhook, signed as sent (verify the raw bytes) */
        TableStatusChangedWebhook: {
            data: components["schemas"]["TableStatusChanged"];
            /** Format: date-time */
            timestamp: string;
            /** @enum {string} */
            type: "table.status_changed";
        };
        TestSentResponse: {
            /**
             * @description The test event id (its webhook-id)
             * @example evt_01JD5Z4Q2V8N7T3K9M6B1C0XYZ
             */
            eventId: string;
        };
        UpdateEndpointDto: {
            description?: string | null;
            enabled?: boolean;
            /** @description Event types to receive; empty means every domain event (operational ones only when listed) */
            eventTypes?: ("guest.checked_in" | "guest.updated" | "guest.seated" | "guest.left" | "guest.notified" | "guest.confirmed" | "guest.erased" | "table.status_changed" | "offer.created" | "payment.received" | "endpoint.disabled" | "delivery.exhausted")[];
            /**
             * @description `per_guest`: events about one guest (or one table without a guest) reach the endpoint strictly in feed order, the next only after the previous one succeeded or ended `failed`; other guests are not held back. `none`: no ordering constraint. A change applies to deliveries written after it
             * @enum {string}
             */
            ordering?: "none" | "per_guest";
            /** @description Attempts per second to this endpoint over all instances (at most 10 % over in any 5 s window); null: no limit. 429, 502 and 504 answers also slow an endpoint down for a while, with or without a limit */
            rateLimitPerSecond?: number | null;
            /**
             * @description `hmac`: Standard Webhooks `v1,` (HMAC-SHA256, a `whsec_` secret); `ed25519`: `v1a,` (Ed25519, verify with the `whpk_` public key from …/secret). A change makes new material; the old keeps signing alongside for WEBHOOK_SECRET_GRACE
             * @enum {string}
             */
            signing?: "hmac" | "ed25519";
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
        /** @description The body of a `webhook.test` webhook, signed as sent (verify the raw bytes) */
        WebhookTestWebhook: {
            data: components["schemas"]["WebhookTest"];
            /** Format: date-time */
            timestamp: string;
            /** @enum {string} */
            type: "webhook.test";
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
            /** @description Invalid input; `details` names each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The database is unavailable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
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
                /** @description Comma-separated event types to include, e.g. guest.checked_in,guest.left */
                types?: ("guest.checked_in" | "guest.updated" | "guest.seated" | "guest.left" | "guest.notified" | "guest.confirmed" | "guest.erased" | "table.status_changed" | "offer.created" | "payment.received")[];
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
            /** @description Invalid input, or `after` is not an event id */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The credentials lack access: this route needs the staff scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The database is unavailable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
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
            /** @description Invalid input; `details` names each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The credentials lack access: this route needs the staff scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The database is unavailable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
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
            /** @description Invalid input; `details` names each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description More than CHECKIN_RATE_LIMIT check-ins from this address in a minute */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The database is unavailable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
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
            /** @description Invalid input; `details` names each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The credentials lack access: this route needs one of: the staff scope, that guest's X-Guest-Token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The database is unavailable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    GuestsController_erase: {
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
            /** @description The erased guest (name empty, contact details and notes null, erasedAt set) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GuestResponse"];
                };
            };
            /** @description Invalid input; `details` names each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The credentials lack access: this route needs the admin scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The database is unavailable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
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
            /** @description Invalid input; `details` names each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The credentials lack access: this route needs one of: the staff scope, that guest's X-Guest-Token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The guest was erased */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The database is unavailable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
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
            /** @description Invalid input; `details` names each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The credentials lack access: this route needs the staff scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not seated, already paid, or another charge in progress */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The gateway refused the charge */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No gateway configured, or the gateway is unreachable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    GuestsController_confirm: {
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
            /** @description Invalid input; `details` names each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The credentials lack access: this route needs one of: the staff scope, that guest's X-Guest-Token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The guest is not waiting, was not paged, or the hold has ended */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The database is unavailable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
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
            /** @description Invalid input; `details` names each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The credentials lack access: this route needs one of: the staff scope, that guest's X-Guest-Token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The guest has already left */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The database is unavailable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    GuestsController_notify: {
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
                "application/json": components["schemas"]["NotifyGuestDto"];
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
            /** @description Invalid input; `details` names each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The credentials lack access: this route needs the staff scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The guest is not waiting, was already paged, or the table cannot be held */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The database is unavailable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
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
            /** @description Invalid input; `details` names each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The credentials lack access: this route needs one of: the staff scope, that guest's X-Guest-Token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The database is unavailable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
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
            /** @description Invalid input; `details` names each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The credentials lack access: this route needs the offers scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The database is unavailable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
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
            /** @description Invalid input; `details` names each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The credentials lack access: this route needs one of: the staff scope, that guest's X-Guest-Token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The database is unavailable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
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
            /** @description Invalid input; `details` names each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The credentials lack access: this route needs the staff scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The guest is not waiting, or the table is not free or too small */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The database is unavailable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
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
            /** @description The verified body is not a valid payment.succeeded event */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing, wrong or stale signature */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The payment names an unknown guest */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description PAYMENT_WEBHOOK_SECRET is not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
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
            /** @description Invalid input; `details` names each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The credentials lack access: this route needs the admin scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The database is unavailable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
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
            /** @description Invalid input; `details` names each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The credentials lack access: this route needs the admin scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The database is unavailable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
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
            /** @description Invalid input; `details` names each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The credentials lack access: this route needs the admin scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The database is unavailable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
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
            /** @description Invalid input; `details` names each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The database is unavailable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
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
            /** @description Invalid input; `details` names each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The credentials lack access: this route needs the admin scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The database is unavailable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
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
            /** @description Invalid input; `details` names each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The credentials lack access: this route needs the staff scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The table cannot move to that status now */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The database is unavailable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    AccuracyController_get: {
        parameters: {
            query?: {
                /** @description Only guests seated at or after this RFC 3339 date-time (all when omitted) */
                since?: string;
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
                    "application/json": components["schemas"]["AccuracyResponse"];
                };
            };
            /** @description Invalid input; `details` names each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The credentials lack access: this route needs the staff scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The database is unavailable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
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
            /** @description Invalid input; `details` names each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The credentials lack access: this route needs the endpoints scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such delivery, or another key's */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The database is unavailable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    WebhooksController_requestOf: {
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
                    "application/json": components["schemas"]["DeliveryRequestResponse"];
                };
            };
            /** @description Invalid input; `details` names each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The credentials lack access: this route needs the endpoints scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such delivery, or another key's */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The database is unavailable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
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
            /** @description Invalid input; `details` names each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The credentials lack access: this route needs the endpoints scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such delivery, or another key's */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Being attempted right now, or its endpoint is disabled */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The database is unavailable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
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
            /** @description Invalid input; `details` names each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The credentials lack access: this route needs the endpoints scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The database is unavailable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
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
            /** @description Invalid input, or a URL the SSRF guard refuses (the message says how to allow it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The credentials lack access: this route needs the endpoints scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description WEBHOOK_MAX_ENDPOINTS_PER_KEY or WEBHOOK_MAX_ENDPOINTS reached */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The database is unavailable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
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
            /** @description Invalid input; `details` names each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The credentials lack access: this route needs the endpoints scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such endpoint, or another key's */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The database is unavailable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
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
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input; `details` names each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The credentials lack access: this route needs the endpoints scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such endpoint, or another key's */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The database is unavailable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
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
            /** @description Invalid input, or a URL the SSRF guard refuses */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The credentials lack access: this route needs the endpoints scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such endpoint, or another key's */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The database is unavailable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
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
            /** @description Invalid input; `details` names each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The credentials lack access: this route needs the endpoints scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such endpoint, or another key's */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The database is unavailable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
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
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecoveredResponse"];
                };
            };
            /** @description Invalid input; `details` names each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The credentials lack access: this route needs the endpoints scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such endpoint, or another key's */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The database is unavailable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    WebhooksController_replay: {
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
                "application/json": components["schemas"]["ReplayDto"];
            };
        };
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReplayedResponse"];
                };
            };
            /** @description since/until not RFC 3339, until not after since, or an unknown event type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The credentials lack access: this route needs the endpoints scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such endpoint, or another key's */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description More than 10,000 matching events (split the window), or the endpoint is disabled */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The database is unavailable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
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
            /** @description Invalid input; `details` names each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The credentials lack access: this route needs the endpoints scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such endpoint, or another key's */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The database is unavailable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
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
            /** @description Invalid input; `details` names each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The credentials lack access: this route needs the endpoints scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such endpoint, or another key's */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The database is unavailable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
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
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TestSentResponse"];
                };
            };
            /** @description Invalid input; `details` names each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The credentials lack access: this route needs the endpoints scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such endpoint, or another key's */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The endpoint is disabled */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The database is unavailable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
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
            /** @description Invalid input; `details` names each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The database is unavailable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
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
            /** @description Invalid input; `details` names each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The credentials lack access: this route needs the admin scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The database is unavailable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
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
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthResponse"];
                };
            };
            /** @description Invalid input; `details` names each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The database does not answer */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthResponse"];
                };
            };
        };
    };
    HealthController_live: {
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
                    "application/json": components["schemas"]["LivenessResponse"];
                };
            };
            /** @description Invalid input; `details` names each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The database is unavailable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    HealthController_ready: {
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
                    "application/json": components["schemas"]["ReadinessResponse"];
                };
            };
            /** @description Invalid input; `details` names each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description A check failed; `failed` names it */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReadinessResponse"];
                };
            };
        };
    };
}
