-- Ambulance handover: time from arrival at hospital to handover to hospital staff.
-- Standards: >= 65% within 15 minutes, >= 95% within 30, 100% within 60; report the hours lost
-- beyond 15 minutes (the sum over handovers of the time past 15 minutes).
-- Source: DATA_SPEC.md, Metric definitions, "Ambulance handover" (NHS England handover
-- standards).
-- Counting: by hospital arrival date, at the receiving site; exactly 15:00 is within 15 minutes;
-- arrivals with no handover time (or one before arrival) are counted in `untimed`.

with

incidents as (  -- import
    select * from ambulance_incident
),

renamed as (
    select
        person_id,
        source_org_code,
        destination_site_code as site_code,
        hospital_arrival_at,
        date_diff('second', hospital_arrival_at, handover_at) as handover_seconds
    from incidents
    where hospital_arrival_at is not null
),

in_scope as (
    select r.*, p.birth_month, p.person_group
    from renamed as r
    left join agora_people($breakdown, $org) as p using (person_id)
    where r.hospital_arrival_at >= $period_start
      and r.hospital_arrival_at < $period_end + interval 1 day
      and ($site is null or r.site_code = $site)
      and agora_in_org($org, r.source_org_code, p.practice_code, p.pcn_code)
),

grouped as (
    select
        agora_period(hospital_arrival_at, $grain, $period_start) as period,
        agora_group($breakdown, person_group, agora_age_band(birth_month, hospital_arrival_at),
                    site_code, null) as "group",
        case when handover_seconds >= 0 then handover_seconds end as handover_seconds
    from in_scope
),

computed as (
    select
        period,
        "group",
        count(handover_seconds) as handovers,
        count(*) filter (where handover_seconds <= 15 * 60) as within_15_minutes,
        count(*) filter (where handover_seconds <= 30 * 60) as within_30_minutes,
        count(*) filter (where handover_seconds <= 60 * 60) as within_60_minutes,
        count(*) - count(handover_seconds) as untimed,
        coalesce(sum(greatest(handover_seconds - 15 * 60, 0)), 0) / 3600.0
            as hours_lost_over_15_minutes
    from grouped
    group by all
)

select
    *,
    100.0 * within_15_minutes / nullif(handovers, 0) as pct_within_15_minutes,
    100.0 * within_30_minutes / nullif(handovers, 0) as pct_within_30_minutes,
    100.0 * within_60_minutes / nullif(handovers, 0) as pct_within_60_minutes
from computed
order by period, try_cast("group" as integer) nulls last, "group"
