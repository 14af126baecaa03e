-- A&E 4-hour standard: share of A&E attendances that left within 4 hours of arrival.
-- Definition: % of attendances with arrival-to-departure <= 4 h; standard 95%, interim 78% in
-- 2025/26. Source: DATA_SPEC.md, Metric definitions, "A&E 4-hour" (NHS England A&E standard).
-- Counting: by arrival date, so an attendance that crosses midnight counts on the day it arrived;
-- exactly 4:00:00 meets the standard; an attendance with no departure time (or one before its
-- arrival) cannot be timed: it is left out of both parts and counted in `untimed`.
-- $department_type: 'all' (all types) or one type ('01' = type 1, major A&E).

with

attendances as (  -- import
    select * from ae_attendance
),

renamed as (  -- elapsed: arrival to departure; meets: within 4 hours
    select
        *,
        departure_at - arrival_at as elapsed,
        departure_at - arrival_at <= interval 4 hour as meets
    from attendances
),

computed as (  -- in scope and counted by period and group (macros.sql)
    select period, "group", timed as attendances, met as within_4_hours, untimed
    from agora_ae_counts('renamed', $period_start, $period_end, $site, $department_type,
                         $breakdown, $org, $grain)
)

select *, agora_pct(within_4_hours, attendances) as pct_within_4_hours
from computed
order by period, try_cast("group" as integer) nulls last, "group"
