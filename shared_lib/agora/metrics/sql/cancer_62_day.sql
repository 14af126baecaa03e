-- Cancer 62-day standard: share of patients starting first definitive treatment within 62 days
-- of an urgent suspected cancer referral (85%).
-- Source: DATA_SPEC.md, Metric definitions, "Cancer" (62-day referral to first treatment).
-- Counting: pathways with first treatment in the period, by treatment date; days = first
-- treatment date - referral date; day 62 meets the standard, day 63 does not. A treatment before
-- the referral is a data error, counted in `invalid` and left out.

with

pathways as (  -- import
    select * from cancer_pathway
),

renamed as (
    select
        person_id,
        source_org_code,
        tumour_site,
        first_treatment_date as treatment_date,
        date_diff('day', referral_date, first_treatment_date) as days
    from pathways
    where first_treatment_date is not null
),

in_scope as (
    select r.*, p.birth_month, p.person_group
    from renamed as r
    left join agora_people($breakdown, $org) as p using (person_id)
    where r.treatment_date between $period_start and $period_end
      and agora_in_org($org, r.source_org_code, p.practice_code, p.pcn_code)
),

grouped as (
    select
        agora_period(treatment_date, $grain, $period_start) as period,
        agora_group($breakdown, person_group, agora_age_band(birth_month, treatment_date),
                    null, tumour_site) as "group",
        days
    from in_scope
),

computed as (
    select
        period,
        "group",
        count(*) filter (where days >= 0) as pathways,
        count(*) filter (where days between 0 and 62) as within_62_days,
        count(*) filter (where days < 0) as invalid
    from grouped
    group by all
)

select
    *,
    100.0 * within_62_days / nullif(pathways, 0) as pct_within_62_days
from computed
order by period, try_cast("group" as integer) nulls last, "group"
