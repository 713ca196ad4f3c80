-- 0014 idempotent requests: the answer each API write gave to a request with an Idempotency-Key,
-- replayed to a retry with the same key and request, refused to a different request.

CREATE TABLE idempotent_requests (
    key text NOT NULL,
    fingerprint text NOT NULL,
    method text NOT NULL,
    path text NOT NULL,
    user_name text NOT NULL,
    status_code integer NOT NULL,
    response_body text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_idempotent_requests PRIMARY KEY (key)
);
