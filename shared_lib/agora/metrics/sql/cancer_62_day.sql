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
        *,
        first_treatment_date as stop_date,
        date_diff('day', referral_date, first_treatment_date) as days
    from pathways
    where first_treatment_date is not null
),

computed as (  -- in scope and counted by period and group (macros.sql)
    select period, "group", pathways, within as within_62_days, invalid
    from agora_cancer_counts('renamed', 62, $period_start, $period_end, $breakdown, $org, $grain)
)

select *, agora_pct(within_62_days, pathways) as pct_within_62_days
from computed
order by period, try_cast("group" as integer) nulls last, "group"
