-- A release under way holds a lease until a time, so that of several (the demo's first in the background, the
-- schedule's next run, a second app process) one protects the tables at a time; one whose process died is
-- taken over once its time is past.
ALTER TABLE "statistics_rollup_state" ADD COLUMN "releasing_until" timestamp with time zone;