-- Frequent A&E attenders: people with 3+ ("frequent"), 5+ (high-intensity-use threshold) and
-- 10+ ("high intensity user") A&E attendances, all department types, in a rolling 12 months.
-- Source: DATA_SPEC.md, Metric definitions, "Frequent attenders" (the 5+ threshold is marked
-- unverified there).
-- Counting: at snapshot date S (the end of each reporting bucket, or the period end) the window
-- is the 12 months ending on S: arrivals after the same date a year earlier, up to the end of S
-- (snapshot 31 March 2026: 1 April 2025 00:00 to 31 March 2026 23:59:59). People are counted
-- once per group; their age band is taken at S.

with

attendances as (  -- import
    select * from ae_attendance
),

renamed as (
    select person_id, source_org_code, arrival_at
    from attendances
),

snapshots as (
    select
        period,
        snapshot_date,
        snapshot_date - interval 12 month + interval 1 day as window_start,
        snapshot_date + interval 1 day as window_end
    from agora_buckets($period_start, $period_end, $grain)
),

in_scope as (
    select r.*, p.birth_month, p.person_group
    from renamed as r
    left join agora_people($breakdown, $org) as p using (person_id)
    where r.arrival_at >= cast($period_start as date) - interval 12 month
      and r.arrival_at < $period_end + interval 1 day
      and agora_in_org($org, r.source_org_code, p.practice_code, p.pcn_code)
),

per_person as (
    select
        s.snapshot_date,
        a.person_id,
        any_value(s.period) as period,
        any_value(a.person_group) as person_group,
        any_value(a.birth_month) as birth_month,
        count(*) as attendances
    from snapshots as s
    join in_scope as a
      on a.arrival_at >= s.window_start
     and a.arrival_at < s.window_end
    group by s.snapshot_date, a.person_id
),

grouped as (
    select
        period,
        snapshot_date,
        agora_group($breakdown, person_group, agora_age_band(birth_month, snapshot_date),
                    null, null) as "group",
        attendances
    from per_person
),

computed as (
    select
        period,
        "group",
        any_value(snapshot_date) as snapshot_date,
        count(*) as people_attending,
        sum(attendances) as attendances,
        count(*) filter (where attendances >= 3) as frequent_3_plus,
        count(*) filter (where attendances >= 5) as frequent_5_plus,
        count(*) filter (where attendances >= 10) as frequent_10_plus,
        coalesce(sum(attendances) filter (where attendances >= 3), 0)
            as attendances_by_frequent_3_plus
    from grouped
    group by period, "group"
)

select *
from computed
order by period, try_cast("group" as integer) nulls last, "group"
