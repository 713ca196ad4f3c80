-- 0060 Text messages: a queued message goes by e-mail or as a text (SMS) to a mobile number, and a portal login may ask for
-- its reminders and receipts by text at the mobile number it proved.

ALTER TABLE "outgoing_mail" ADD COLUMN "channel" TEXT NOT NULL DEFAULT 'Email';
ALTER TABLE "portal_users" ADD COLUMN "text_alerts" INTEGER NOT NULL DEFAULT 0;
