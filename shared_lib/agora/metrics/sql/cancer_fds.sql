-- Cancer 28-day Faster Diagnosis Standard: share of urgent suspected cancer referrals told of a
-- diagnosis, or that cancer is ruled out, within 28 days of referral (80% in 2025/26).
-- Source: DATA_SPEC.md, Metric definitions, "Cancer" (28-day Faster Diagnosis Standard).
-- Counting: pathways whose FDS clock stopped (diagnosis or ruled out) in the period, by stop
-- date; days = diagnosis date - referral date; day 28 meets the standard, day 29 does not.
-- A stop before the referral is a data error, counted in `invalid` and left out.

with

pathways as (  -- import
    select * from cancer_pathway
),

renamed as (
    select
        person_id,
        source_org_code,
        tumour_site,
        diagnosis_date as stop_date,
        date_diff('day', referral_date, diagnosis_date) as days
    from pathways
    where diagnosis_date is not null
),

in_scope as (
    select r.*, p.birth_month, p.person_group
    from renamed as r
    left join agora_people($breakdown, $org) as p using (person_id)
    where r.stop_date between $period_start and $period_end
      and agora_in_org($org, r.source_org_code, p.practice_code, p.pcn_code)
),

grouped as (
    select
        agora_period(stop_date, $grain, $period_start) as period,
        agora_group($breakdown, person_group, agora_age_band(birth_month, stop_date),
                    null, tumour_site) as "group",
        days
    from in_scope
),

computed as (
    select
        period,
        "group",
        count(*) filter (where days >= 0) as pathways,
        count(*) filter (where days between 0 and 28) as within_28_days,
        count(*) filter (where days < 0) as invalid
    from grouped
    group by all
)

select
    *,
    100.0 * within_28_days / nullif(pathways, 0) as pct_within_28_days
from computed
order by period, try_cast("group" as integer) nulls last, "group"
