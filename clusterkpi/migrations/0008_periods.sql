-- Rows that cover a period, not a day (issue #12, point 3).
-- day_end is the period's EXCLUSIVE end: a row covers day <= d < day_end. NULL means
-- the single day `day` (day_end = day + 1), which is what every row stored before
-- this migration is. Web imports always write day_end, and it is part of the web
-- key (day, day_end, site): a month total and the daily rows inside it are
-- different rows. Existing web rows get day + 1 so that a re-import matches them.
ALTER TABLE web_traffic ADD COLUMN day_end DATE;
ALTER TABLE web_traffic_history ADD COLUMN day_end DATE;
UPDATE web_traffic SET day_end = "day" + 1;
UPDATE web_traffic_history SET day_end = "day" + 1;

ALTER TABLE social_daily ADD COLUMN day_end DATE;
ALTER TABLE social_daily_history ADD COLUMN day_end DATE;
