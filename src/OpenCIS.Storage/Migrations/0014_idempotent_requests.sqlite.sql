-- 0014 idempotent requests: the answer each API write gave to a request with an Idempotency-Key,
-- replayed to a retry with the same key and request, refused to a different request.

CREATE TABLE "idempotent_requests" (
    "key" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "user_name" TEXT NOT NULL,
    "status_code" INTEGER NOT NULL,
    "response_body" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    CONSTRAINT "pk_idempotent_requests" PRIMARY KEY ("key")
);
