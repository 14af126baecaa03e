-- Cancer 31-day standard: share of patients starting first definitive treatment within 31 days
-- of the decision to treat (96%).
-- Source: DATA_SPEC.md, Metric definitions, "Cancer" (31-day decision-to-treat to treatment).
-- Counting: pathways with first treatment in the period and a decision-to-treat date, by
-- treatment date; days = first treatment date - decision to treat date; day 31 meets the
-- standard, day 32 does not. A treatment before the decision is counted in `invalid`.

with

pathways as (  -- import
    select * from cancer_pathway
),

renamed as (
    select
        *,
        first_treatment_date as stop_date,
        date_diff('day', decision_to_treat_date, first_treatment_date) as days
    from pathways
    where first_treatment_date is not null
      and decision_to_treat_date is not null
),

computed as (  -- in scope and counted by period and group (macros.sql)
    select period, "group", pathways, within as within_31_days, invalid
    from agora_cancer_counts('renamed', 31, $period_start, $period_end, $breakdown, $org, $grain)
)

select *, agora_pct(within_31_days, pathways) as pct_within_31_days
from computed
order by period, try_cast("group" as integer) nulls last, "group"
