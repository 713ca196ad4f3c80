-- 0020 jobs: long work (billing runs, later file imports and the ACH file) runs as a job. The jobs
-- table is ours: who started what, when, how far it got and how it ended; a unique index over the
-- rows still queued or running refuses a second start of the same work. The qrtz_ tables are the
-- Quartz.NET persistent job store's (table prefix qrtz_), written here from its documented table
-- definitions so the schema has one owner and one upgrade path: the scheduler only validates them.
-- Quartz's optional execution-history tables are left out; this host keeps its own record in jobs.

CREATE TABLE "jobs" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_jobs" PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL,
    "work_key" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "arguments" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "requested_by" TEXT NOT NULL,
    "requested_at" TEXT NOT NULL,
    "started_at" TEXT NULL,
    "finished_at" TEXT NULL,
    "attempts" INTEGER NOT NULL,
    "progress_done" INTEGER NOT NULL,
    "progress_total" INTEGER NOT NULL,
    "message" TEXT NULL,
    "result_id" INTEGER NULL
);

CREATE UNIQUE INDEX "ix_jobs_active_work_key" ON "jobs" ("work_key") WHERE status IN ('Queued', 'Running');
CREATE INDEX "ix_jobs_requested_at" ON "jobs" ("requested_at");

-- The scheduler's store. Times are ticks (integer); job data is serialized into blob.
CREATE TABLE qrtz_job_details (
    sched_name text NOT NULL,
    job_name text NOT NULL,
    job_group text NOT NULL,
    description text,
    job_class_name text NOT NULL,
    is_durable integer NOT NULL,
    is_nonconcurrent integer NOT NULL,
    is_update_data integer NOT NULL,
    requests_recovery integer NOT NULL,
    job_data blob,
    PRIMARY KEY (sched_name, job_name, job_group)
);

CREATE TABLE qrtz_triggers (
    sched_name text NOT NULL,
    trigger_name text NOT NULL,
    trigger_group text NOT NULL,
    job_name text NOT NULL,
    job_group text NOT NULL,
    description text,
    next_fire_time integer,
    prev_fire_time integer,
    priority integer,
    trigger_state text NOT NULL,
    trigger_type text NOT NULL,
    start_time integer NOT NULL,
    end_time integer,
    calendar_name text,
    misfire_instr integer,
    misfire_orig_fire_time integer,
    execution_group text,
    preferred_node text,
    preferred_node_auto integer NOT NULL DEFAULT 0,
    retry_policy text,
    retry_attempt integer,
    continues_trigger_name text,
    continues_trigger_group text,
    continuation_condition integer,
    overlap_policy integer,
    pause_reason text,
    paused_by text,
    paused_at integer,
    misfire_threshold integer,
    fixed_delay integer,
    job_data blob,
    PRIMARY KEY (sched_name, trigger_name, trigger_group),
    FOREIGN KEY (sched_name, job_name, job_group) REFERENCES qrtz_job_details (sched_name, job_name, job_group)
);

CREATE TABLE qrtz_simple_triggers (
    sched_name text NOT NULL,
    trigger_name text NOT NULL,
    trigger_group text NOT NULL,
    repeat_count integer NOT NULL,
    repeat_interval integer NOT NULL,
    times_triggered integer NOT NULL,
    PRIMARY KEY (sched_name, trigger_name, trigger_group),
    FOREIGN KEY (sched_name, trigger_name, trigger_group) REFERENCES qrtz_triggers (sched_name, trigger_name, trigger_group) ON DELETE CASCADE
);

CREATE TABLE qrtz_cron_triggers (
    sched_name text NOT NULL,
    trigger_name text NOT NULL,
    trigger_group text NOT NULL,
    cron_expression text NOT NULL,
    time_zone_id text,
    PRIMARY KEY (sched_name, trigger_name, trigger_group),
    FOREIGN KEY (sched_name, trigger_name, trigger_group) REFERENCES qrtz_triggers (sched_name, trigger_name, trigger_group) ON DELETE CASCADE
);

CREATE TABLE qrtz_simprop_triggers (
    sched_name text NOT NULL,
    trigger_name text NOT NULL,
    trigger_group text NOT NULL,
    str_prop_1 text,
    str_prop_2 text,
    str_prop_3 text,
    int_prop_1 integer,
    int_prop_2 integer,
    long_prop_1 integer,
    long_prop_2 integer,
    dec_prop_1 numeric,
    dec_prop_2 numeric,
    bool_prop_1 integer,
    bool_prop_2 integer,
    time_zone_id text,
    PRIMARY KEY (sched_name, trigger_name, trigger_group),
    FOREIGN KEY (sched_name, trigger_name, trigger_group) REFERENCES qrtz_triggers (sched_name, trigger_name, trigger_group) ON DELETE CASCADE
);

CREATE TABLE qrtz_blob_triggers (
    sched_name text NOT NULL,
    trigger_name text NOT NULL,
    trigger_group text NOT NULL,
    blob_data blob,
    PRIMARY KEY (sched_name, trigger_name, trigger_group),
    FOREIGN KEY (sched_name, trigger_name, trigger_group) REFERENCES qrtz_triggers (sched_name, trigger_name, trigger_group) ON DELETE CASCADE
);

CREATE TABLE qrtz_calendars (
    sched_name text NOT NULL,
    calendar_name text NOT NULL,
    calendar blob NOT NULL,
    PRIMARY KEY (sched_name, calendar_name)
);

CREATE TABLE qrtz_paused_trigger_grps (
    sched_name text NOT NULL,
    trigger_group text NOT NULL,
    pause_reason text,
    paused_by text,
    paused_at integer,
    PRIMARY KEY (sched_name, trigger_group)
);

CREATE TABLE qrtz_paused_job_grps (
    sched_name text NOT NULL,
    job_group text NOT NULL,
    pause_reason text,
    paused_by text,
    paused_at integer,
    PRIMARY KEY (sched_name, job_group)
);

-- A firing in progress. A row whose instance stopped checking in, with requests_recovery set, is
-- what makes another node (or this one, restarted) run the job again.
CREATE TABLE qrtz_fired_triggers (
    sched_name text NOT NULL,
    entry_id text NOT NULL,
    trigger_name text NOT NULL,
    trigger_group text NOT NULL,
    instance_name text NOT NULL,
    fired_time integer NOT NULL,
    sched_time integer NOT NULL,
    priority integer NOT NULL,
    state text NOT NULL,
    job_name text,
    job_group text,
    is_nonconcurrent integer,
    requests_recovery integer,
    execution_group text,
    progress integer,
    progress_message text,
    interrupt_requested_time integer,
    PRIMARY KEY (sched_name, entry_id)
);

-- Each clustered node's last check-in: a node silent past its interval is taken for dead.
CREATE TABLE qrtz_scheduler_state (
    sched_name text NOT NULL,
    instance_name text NOT NULL,
    last_checkin_time integer NOT NULL,
    checkin_interval integer NOT NULL,
    quartz_version text,
    PRIMARY KEY (sched_name, instance_name)
);

-- The rows the cluster's nodes lock (on SQLite the store is not clustered: one process takes turns in memory) to take turns at the schedule.
CREATE TABLE qrtz_locks (
    sched_name text NOT NULL,
    lock_name text NOT NULL,
    PRIMARY KEY (sched_name, lock_name)
);

CREATE INDEX idx_qrtz_j_g_n ON qrtz_job_details (sched_name, job_group, job_name);
CREATE INDEX idx_qrtz_t_j ON qrtz_triggers (sched_name, job_name, job_group);
CREATE INDEX idx_qrtz_t_g_n ON qrtz_triggers (sched_name, trigger_group, trigger_name);
CREATE INDEX idx_qrtz_t_c ON qrtz_triggers (sched_name, calendar_name);
CREATE INDEX idx_qrtz_t_nft_st ON qrtz_triggers (sched_name, trigger_state, next_fire_time ASC, priority DESC, misfire_instr);
CREATE INDEX idx_qrtz_ft_inst_job_req_rcvry ON qrtz_fired_triggers (sched_name, instance_name, requests_recovery);
CREATE INDEX idx_qrtz_ft_j_g ON qrtz_fired_triggers (sched_name, job_name, job_group);
CREATE INDEX idx_qrtz_ft_t_g ON qrtz_fired_triggers (sched_name, trigger_name, trigger_group);

-- SQLite enforces the cascades above only with foreign keys switched on for the connection; these
-- triggers delete a trigger's schedule rows either way.
CREATE TRIGGER qrtz_delete_simple_trigger DELETE ON qrtz_triggers
BEGIN
    DELETE FROM qrtz_simple_triggers WHERE sched_name = OLD.sched_name AND trigger_name = OLD.trigger_name AND trigger_group = OLD.trigger_group;
END;

CREATE TRIGGER qrtz_delete_simprop_trigger DELETE ON qrtz_triggers
BEGIN
    DELETE FROM qrtz_simprop_triggers WHERE sched_name = OLD.sched_name AND trigger_name = OLD.trigger_name AND trigger_group = OLD.trigger_group;
END;

CREATE TRIGGER qrtz_delete_cron_trigger DELETE ON qrtz_triggers
BEGIN
    DELETE FROM qrtz_cron_triggers WHERE sched_name = OLD.sched_name AND trigger_name = OLD.trigger_name AND trigger_group = OLD.trigger_group;
END;

CREATE TRIGGER qrtz_delete_blob_trigger DELETE ON qrtz_triggers
BEGIN
    DELETE FROM qrtz_blob_triggers WHERE sched_name = OLD.sched_name AND trigger_name = OLD.trigger_name AND trigger_group = OLD.trigger_group;
END;
