-- Delayed discharge by discharge pathway (0-3): patients discharged after the date they no
-- longer met the criteria to reside, and the days between.
-- Source: DATA_SPEC.md, Metric definitions, "Delayed discharge" (no criteria to reside; days
-- from discharge-ready date to discharge, by pathway 0-3).
-- Counting: spells discharged in the period (by discharge date) that have a discharge-ready
-- date; delay = discharge date - discharge-ready date in days (0 when discharged on the ready
-- day, which is not a delay; a ready date after discharge counts as 0).

with

spells as (  -- import
    select * from apc_spell
),

renamed as (
    select
        person_id,
        site_code,
        source_org_code,
        cast(discharge_at as date) as discharge_date,
        discharge_ready_date,
        coalesce(cast(discharge_pathway as varchar), 'unknown') as pathway
    from spells
    where discharge_at is not null
      and discharge_ready_date is not null
),

in_scope as (
    select r.*, p.birth_month, p.person_group
    from renamed as r
    left join agora_people($breakdown, $org) as p using (person_id)
    where r.discharge_date between $period_start and $period_end
      and ($site is null or r.site_code = $site)
      and agora_in_org($org, r.source_org_code, p.practice_code, p.pcn_code)
),

grouped as (
    select
        agora_period(discharge_date, $grain, $period_start) as period,
        agora_group($breakdown, person_group, agora_age_band(birth_month, discharge_date),
                    site_code, null) as "group",
        pathway,
        greatest(date_diff('day', discharge_ready_date, discharge_date), 0) as delay_days
    from in_scope
),

computed as (
    select
        period,
        "group",
        pathway,
        count(*) as discharges,
        count(*) filter (where delay_days > 0) as delayed,
        sum(delay_days) as delay_days
    from grouped
    group by all
)

select
    *,
    delay_days / discharges as mean_delay_days
from computed
order by period, try_cast("group" as integer) nulls last, "group", pathway
