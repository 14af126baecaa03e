-- RTT waiting list projection and bottlenecks by specialty (treatment function).
-- Source: DATA_SPEC.md, Metric definitions, "RTT" (clock start at referral receipt, stop at
-- first definitive treatment); CONTEXT.md ("recovery of planned care: current and projected
-- bottlenecks").
-- Method (a linear stock-and-flow projection):
--   L0 = incomplete pathways at the period end (the list now);
--   r  = clock starts (referrals) per week over the period, a = clock stops (activity, including
--        validated removals) per week over the period, weeks = days in the period / 7;
--   projected list after H weeks ($horizon_weeks) = max(0, L0 + H * (r - a));
--   a specialty is a bottleneck when demand exceeds activity (r > a); `weeks_to_clear` = L0 /
--   (a - r) when activity exceeds demand; `at_risk_52_weeks` = pathways on the list now that
--   will have waited 52+ weeks by the horizon unless treated first.
-- Assumes the period's referral and activity rates continue unchanged (no seasonality or
-- planned capacity change): choose a period that reflects current running.

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
        clock_stop_date
    from pathways
),

in_scope as (
    select r.*, p.birth_month, p.person_group
    from renamed as r
    left join agora_people($breakdown, $org) as p using (person_id)
    where r.clock_start_date <= $period_end
      and agora_in_org($org, r.source_org_code, p.practice_code, p.pcn_code)
),

grouped as (
    select
        agora_group($breakdown, person_group, agora_age_band(birth_month, $period_end),
                    null, treatment_function) as "group",
        clock_start_date between $period_start and $period_end as started,
        clock_stop_date between $period_start and $period_end as stopped,
        clock_stop_date is null or clock_stop_date > $period_end as waiting,
        date_diff('day', clock_start_date, $period_end) // 7 as weeks_waited
    from in_scope
),

flows as (
    select
        "group",
        count(*) filter (where waiting) as waiting_now,
        count(*) filter (where started) as clock_starts,
        count(*) filter (where stopped) as clock_stops,
        count(*) filter (where waiting and weeks_waited + $horizon_weeks >= 52)
            as at_risk_52_weeks
    from grouped
    group by "group"
),

computed as (
    select
        *,
        clock_starts / (date_diff('day', $period_start, $period_end) + 1) * 7
            as referrals_per_week,
        clock_stops / (date_diff('day', $period_start, $period_end) + 1) * 7
            as activity_per_week
    from flows
)

select
    cast($period_start as date) as period,
    "group",
    waiting_now,
    clock_starts,
    clock_stops,
    referrals_per_week,
    activity_per_week,
    referrals_per_week - activity_per_week as net_growth_per_week,
    cast($horizon_weeks as integer) as horizon_weeks,
    greatest(waiting_now + $horizon_weeks * (referrals_per_week - activity_per_week), 0)
        as projected_waiting,
    referrals_per_week > activity_per_week as bottleneck,
    case when activity_per_week > referrals_per_week
         then waiting_now / (activity_per_week - referrals_per_week) end as weeks_to_clear,
    at_risk_52_weeks
from computed
order by bottleneck desc, net_growth_per_week desc, "group"
