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

renamed as (
    select
        person_id,
        site_code,
        source_org_code,
        department_type,
        arrival_at,
        departure_at - arrival_at as time_in_department
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
        time_in_department >= interval 0 second as timed,
        time_in_department > interval 12 hour as over_12_hours
    from in_scope
),

computed as (
    select
        period,
        "group",
        count(*) filter (where timed) as attendances,
        count(*) filter (where timed and over_12_hours) as over_12_hours,
        count(*) filter (where timed is not true) as untimed
    from grouped
    group by all
)

select
    *,
    100.0 * over_12_hours / nullif(attendances, 0) as pct_over_12_hours
from computed
order by period, try_cast("group" as integer) nulls last, "group"
