-- Ambulance response times by category: mean and 90th centile of call connect to clock stop.
-- Standards (mean / 90th centile): C1 7/15 min; C2 18/40 min (recovery target 30 min mean);
-- C3 -/120 min; C4 -/180 min.
-- Source: DATA_SPEC.md, Metric definitions, "Ambulance response" (NHS England Ambulance
-- Response Programme standards).
-- Counting: by call connect date; the 90th centile interpolates between the two nearest
-- incidents (continuous quantile); incidents with no clock stop (hear and treat) or a clock stop
-- before call connect have no response time and are counted in `no_response_time`.

with

incidents as (  -- import
    select * from ambulance_incident
),

targets as (  -- the standards above, in minutes
    select * from (values
        ('C1', 7.0, 15.0),
        ('C2', 18.0, 40.0),
        ('C3', null, 120.0),
        ('C4', null, 180.0)
    ) as t(category, target_mean_minutes, target_p90_minutes)
),

renamed as (
    select
        person_id,
        source_org_code,
        category,
        call_connect_at,
        date_diff('second', call_connect_at, clock_stop_at) / 60.0 as response_minutes
    from incidents
),

in_scope as (
    select r.*, p.birth_month, p.person_group
    from renamed as r
    left join agora_people($breakdown, $org) as p using (person_id)
    where r.call_connect_at >= $period_start
      and r.call_connect_at < $period_end + interval 1 day
      and agora_in_org($org, r.source_org_code, p.practice_code, p.pcn_code)
),

grouped as (
    select
        agora_period(call_connect_at, $grain, $period_start) as period,
        agora_group($breakdown, person_group, agora_age_band(birth_month, call_connect_at),
                    null, null) as "group",
        category,
        case when response_minutes >= 0 then response_minutes end as response_minutes
    from in_scope
),

computed as (
    select
        period,
        "group",
        category,
        count(response_minutes) as incidents,
        count(*) - count(response_minutes) as no_response_time,
        avg(response_minutes) as mean_minutes,
        quantile_cont(response_minutes, 0.9) as p90_minutes
    from grouped
    group by all
)

select c.*, t.target_mean_minutes, t.target_p90_minutes
from computed as c
left join targets as t using (category)
order by period, try_cast("group" as integer) nulls last, "group", category
