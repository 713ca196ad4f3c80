-- 0049 API keys for service accounts (the city's permit and licensing systems): each scoped to named permissions,
-- only a hash of its secret kept, revoked or expiring after a rotation; and the log of every request made with one.

CREATE TABLE "api_keys" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_api_keys" PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "description" TEXT NULL,
    "prefix" TEXT NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "permissions" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "rotated_from_id" INTEGER NULL,
    "expires_at" TEXT NULL,
    "revoked_at" TEXT NULL,
    "revoked_by" TEXT NULL,
    "revoke_reason" TEXT NULL
);
CREATE UNIQUE INDEX "ix_api_keys_prefix" ON "api_keys" ("prefix");

CREATE TABLE "api_key_uses" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_api_key_uses" PRIMARY KEY AUTOINCREMENT,
    "api_key_id" INTEGER NOT NULL,
    "at" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "remote_address" TEXT NULL
);
CREATE INDEX "ix_api_key_uses_api_key_id_at" ON "api_key_uses" ("api_key_id", "at");
