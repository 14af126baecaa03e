-- Initial assessment within 15 minutes: share of A&E attendances whose initial assessment came
-- within 15 minutes of arrival (initial assessment time - arrival time <= 15 min).
-- Source: DATA_SPEC.md, Metric definitions, "Initial assessment within 15 min".
-- Counting: by arrival date; exactly 15:00 meets it; attendances with no initial assessment time
-- (or one before arrival) are left out of both parts and counted in `unrecorded`.
-- $department_type: 'all' (all types) or one type ('01' = type 1).

with

attendances as (  -- import
    select * from ae_attendance
),

renamed as (  -- elapsed: arrival to initial assessment; meets: within 15 minutes
    select
        *,
        initial_assessment_at - arrival_at as elapsed,
        initial_assessment_at - arrival_at <= interval 15 minute as meets
    from attendances
),

computed as (  -- in scope and counted by period and group (macros.sql)
    select period, "group", timed as attendances, met as within_15_minutes, untimed as unrecorded
    from agora_ae_counts('renamed', $period_start, $period_end, $site, $department_type,
                         $breakdown, $org, $grain)
)

select *, agora_pct(within_15_minutes, attendances) as pct_within_15_minutes
from computed
order by period, try_cast("group" as integer) nulls last, "group"
