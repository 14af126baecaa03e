-- General and acute bed occupancy: occupied / available G&A beds from the daily bed state;
-- target <= 92%.
-- Source: DATA_SPEC.md, Metric definitions, "Bed occupancy" (NHS England G&A sitrep).
-- Counting: over a week, month or period the rate is occupied bed-days / available bed-days
-- (not a mean of daily rates); escalation beds and patients with no criteria to reside are
-- reported beside it as daily means.

with

bed_state as (  -- import
    select * from bed_daily
),

renamed as (
    select
        site_code,
        source_org_code,
        snapshot_date,
        ga_beds_available,
        ga_beds_occupied,
        escalation_beds,
        no_criteria_to_reside
    from bed_state
),

in_scope as (
    select *
    from renamed
    where snapshot_date between $period_start and $period_end
      and ($site is null or site_code = $site)
      and agora_in_org($org, source_org_code, null, null)
),

grouped as (
    select
        agora_period(snapshot_date, $grain, $period_start) as period,
        agora_group($breakdown, null, null, site_code, null) as "group",
        *
    from in_scope
),

computed as (
    select
        period,
        "group",
        sum(ga_beds_available) as available_bed_days,
        sum(ga_beds_occupied) as occupied_bed_days,
        count(distinct snapshot_date) as days,
        sum(escalation_beds) / count(distinct snapshot_date) as mean_escalation_beds,
        sum(no_criteria_to_reside) / count(distinct snapshot_date)
            as mean_no_criteria_to_reside
    from grouped
    group by period, "group"
)

select
    *,
    100.0 * occupied_bed_days / nullif(available_bed_days, 0) as occupancy_pct
from computed
order by period, try_cast("group" as integer) nulls last, "group"
