-- 0021 job files: file imports (reads, payment and lockbox files, ACH returns) run as jobs. The uploaded
-- file waits with its job in job_files until the job ends, so the import does not depend on the request
-- that brought it and any host can run it; the job keeps its whole outcome (counts, and the errors naming
-- line and field) as JSON for the screens and the API.

ALTER TABLE jobs ADD COLUMN result_json text;

CREATE TABLE job_files (
    job_id bigint NOT NULL,
    file_name character varying(260) NOT NULL,
    content bytea NOT NULL,
    CONSTRAINT pk_job_files PRIMARY KEY (job_id),
    CONSTRAINT fk_job_files_jobs_job_id FOREIGN KEY (job_id) REFERENCES jobs (id) ON DELETE CASCADE
);
