-- 0021 job files: file imports (reads, payment and lockbox files, ACH returns) run as jobs. The uploaded
-- file waits with its job in job_files until the job ends, so the import does not depend on the request
-- that brought it and any host can run it; the job keeps its whole outcome (counts, and the errors naming
-- line and field) as JSON for the screens and the API.

ALTER TABLE "jobs" ADD COLUMN "result_json" TEXT NULL;

CREATE TABLE "job_files" (
    "job_id" INTEGER NOT NULL CONSTRAINT "pk_job_files" PRIMARY KEY,
    "file_name" TEXT NOT NULL,
    "content" BLOB NOT NULL,
    CONSTRAINT "fk_job_files_jobs_job_id" FOREIGN KEY ("job_id") REFERENCES "jobs" ("id") ON DELETE CASCADE
);
