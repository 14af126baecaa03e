-- RTT waiting list: incomplete referral-to-treatment pathways at a snapshot date, the share
-- waiting under 18 weeks (standard 92%), and the 52+, 65+, 78+ and 104+ week waiters.
-- Source: DATA_SPEC.md, Metric definitions, "RTT" (clock starts at referral receipt, stops at
-- first definitive treatment; standard 92% of incomplete pathways < 18 weeks); RTT weeks end on
-- Sunday (DATA_SPEC, Dates).
-- Counting: a pathway is incomplete at snapshot date S when its clock started on or before S and
-- has not stopped by S (a clock stopped on S is no longer waiting). Weeks waited are completed
-- weeks, floor((S - clock start) / 7): 125 days is 17 weeks (under 18), 126 days is 18 weeks.
-- S is the end of each reporting bucket (a Sunday for weekly buckets), or the period end.
-- The 92nd centile of weeks waited is reported as `p92_weeks` (continuous quantile).

with

pathways as (  -- import
    select * from rtt_pathway
),

renamed as (
    select
        person_id,
        source_org_code,
        treatment_function,
        clock_start_date,
        coalesce(clock_stop_date, date 'infinity') as clock_stop_date
    from pathways
),

snapshots as (
    select period, snapshot_date from agora_buckets($period_start, $period_end, $grain)
),

in_scope as (
    select r.*, p.birth_month, p.person_group
    from renamed as r
    left join agora_people($breakdown, $org) as p using (person_id)
    where r.clock_start_date <= $period_end
      and r.clock_stop_date > $period_start
      and agora_in_org($org, r.source_org_code, p.practice_code, p.pcn_code)
),

waiting as (
    select
        s.period,
        agora_group($breakdown, w.person_group, agora_age_band(w.birth_month, s.snapshot_date),
                    null, w.treatment_function) as "group",
        s.snapshot_date,
        date_diff('day', w.clock_start_date, s.snapshot_date) // 7 as weeks_waited
    from snapshots as s
    join in_scope as w
      on w.clock_start_date <= s.snapshot_date
     and w.clock_stop_date > s.snapshot_date
),

computed as (
    select
        period,
        "group",
        any_value(snapshot_date) as snapshot_date,
        count(*) as incomplete,
        count(*) filter (where weeks_waited < 18) as within_18_weeks,
        count(*) filter (where weeks_waited >= 52) as weeks_52_plus,
        count(*) filter (where weeks_waited >= 65) as weeks_65_plus,
        count(*) filter (where weeks_waited >= 78) as weeks_78_plus,
        count(*) filter (where weeks_waited >= 104) as weeks_104_plus,
        quantile_cont(weeks_waited, 0.92) as p92_weeks
    from waiting
    group by period, "group"
)

select
    period,
    "group",
    snapshot_date,
    incomplete,
    within_18_weeks,
    100.0 * within_18_weeks / incomplete as pct_within_18_weeks,
    weeks_52_plus,
    weeks_65_plus,
    weeks_78_plus,
    weeks_104_plus,
    p92_weeks
from computed
order by period, try_cast("group" as integer) nulls last, "group"
