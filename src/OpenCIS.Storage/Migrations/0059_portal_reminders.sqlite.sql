-- 0059 Due-date reminders: whether a portal login is e-mailed before its accounts' bills fall due (on unless turned off).

ALTER TABLE "portal_users" ADD COLUMN "reminders" INTEGER NOT NULL DEFAULT 1;
