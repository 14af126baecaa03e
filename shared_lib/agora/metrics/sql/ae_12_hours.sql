-- 12 hours in the department: share of A&E attendances that spent more than 12 hours from
-- arrival to departure (objective: fewer than 10% of attendances). Not the "12-hour trolley wait"
-- (decision to admit to admission).
-- Source: DATA_SPEC.md, Metric definitions, "12 hours in department".
-- Counting: by arrival date; exactly 12:00:00 is not over 12 hours; attendances with no departure
-- time (or one before arrival) are left out of both parts and counted in `untimed`.
-- $department_type: 'all' (all types) or one type ('01' = type 1).

with

attendances as (  -- import
    select * from ae_attendance
),

renamed as (  -- elapsed: arrival to departure; meets: over 12 hours
    select
        *,
        departure_at - arrival_at as elapsed,
        departure_at - arrival_at > interval 12 hour as meets
    from attendances
),

computed as (  -- in scope and counted by period and group (macros.sql)
    select period, "group", timed as attendances, met as over_12_hours, untimed
    from agora_ae_counts('renamed', $period_start, $period_end, $site, $department_type,
                         $breakdown, $org, $grain)
)

select *, agora_pct(over_12_hours, attendances) as pct_over_12_hours
from computed
order by period, try_cast("group" as integer) nulls last, "group"
