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
        time_in_department <= interval 4 hour as within_4_hours
    from in_scope
),

computed as (
    select
        period,
        "group",
        count(*) filter (where timed) as attendances,
        count(*) filter (where timed and within_4_hours) as within_4_hours,
        count(*) filter (where timed is not true) as untimed
    from grouped
    group by all
)

select
    *,
    100.0 * within_4_hours / nullif(attendances, 0) as pct_within_4_hours
from computed
order by period, try_cast("group" as integer) nulls last, "group"
