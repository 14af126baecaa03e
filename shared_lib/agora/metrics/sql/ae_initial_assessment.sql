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

renamed as (
    select
        person_id,
        site_code,
        source_org_code,
        department_type,
        arrival_at,
        initial_assessment_at - arrival_at as time_to_assessment
    from attendances
),

in_scope as (
    select r.*, p.birth_month, p.person_group
    from renamed as r
    left join agora_people($breakdown, $org) as p using (person_id)
    where r.arrival_at >= $period_start
      and r.arrival_at < $period_end + interval 1 day
      and ($site is null or r.site_code = $site)
      and ($department_type = 'all' or r.department_type = $department_type)
      and agora_in_org($org, r.source_org_code, p.practice_code, p.pcn_code)
),

grouped as (
    select
        agora_period(arrival_at, $grain, $period_start) as period,
        agora_group($breakdown, person_group, agora_age_band(birth_month, arrival_at),
                    site_code, null) as "group",
        time_to_assessment >= interval 0 second as recorded,
        time_to_assessment <= interval 15 minute as within_15_minutes
    from in_scope
),

computed as (
    select
        period,
        "group",
        count(*) filter (where recorded) as attendances,
        count(*) filter (where recorded and within_15_minutes) as within_15_minutes,
        count(*) filter (where recorded is not true) as unrecorded
    from grouped
    group by all
)

select
    *,
    100.0 * within_15_minutes / nullif(attendances, 0) as pct_within_15_minutes
from computed
order by period, try_cast("group" as integer) nulls last, "group"
