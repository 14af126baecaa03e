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
        *,
        diagnosis_date as stop_date,
        date_diff('day', referral_date, diagnosis_date) as days
    from pathways
    where diagnosis_date is not null
),

computed as (  -- in scope and counted by period and group (macros.sql)
    select period, "group", pathways, within as within_28_days, invalid
    from agora_cancer_counts('renamed', 28, $period_start, $period_end, $breakdown, $org, $grain)
)

select *, agora_pct(within_28_days, pathways) as pct_within_28_days
from computed
order by period, try_cast("group" as integer) nulls last, "group"
