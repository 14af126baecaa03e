-- Stranded and super-stranded patients: inpatients with a length of stay of 7 or more (stranded)
-- and 21 or more (super-stranded) days at a daily snapshot.
-- Source: DATA_SPEC.md, Metric definitions, "Stranded / super-stranded" (NHS England
-- long-stay patient measures).
-- Counting: the snapshot is taken at the end of each day D (midnight): a spell is counted when it
-- was admitted before then and not discharged by then; its length of stay is D minus the
-- admission date in days (admitted 1 May, snapshot 8 May: 7 days, stranded). Over a week, month
-- or period the figures are daily means (patient-days / days).

with

spells as (  -- import
    select * from apc_spell
),

renamed as (
    select
        person_id,
        site_code,
        source_org_code,
        admission_at,
        cast(admission_at as date) as admission_date,
        coalesce(discharge_at, timestamp 'infinity') as discharge_at
    from spells
),

days as (
    select
        snapshot_date as day,
        snapshot_date + interval 1 day as snapshot_at,
        agora_period(snapshot_date, $grain, $period_start) as period
    from agora_buckets($period_start, $period_end, 'day')
),

days_per_period as (
    select period, count(*) as days from days group by period
),

in_scope as (
    select r.*, p.birth_month, p.person_group
    from renamed as r
    left join agora_people($breakdown, $org) as p using (person_id)
    where r.admission_at < $period_end + interval 1 day
      and r.discharge_at >= $period_start + interval 1 day
      and ($site is null or r.site_code = $site)
      and agora_in_org($org, r.source_org_code, p.practice_code, p.pcn_code)
),

census as (
    select
        d.period,
        agora_group($breakdown, s.person_group, agora_age_band(s.birth_month, d.day),
                    s.site_code, null) as "group",
        date_diff('day', s.admission_date, d.day) as length_of_stay_days
    from days as d
    join in_scope as s
      on s.admission_at < d.snapshot_at
     and s.discharge_at >= d.snapshot_at
),

computed as (
    select
        c.period,
        c."group",
        any_value(n.days) as days,
        count(*) as patient_days,
        count(*) filter (where length_of_stay_days >= 7) as stranded_days,
        count(*) filter (where length_of_stay_days >= 21) as super_stranded_days
    from census as c
    join days_per_period as n using (period)
    group by c.period, c."group"
)

select
    period,
    "group",
    days,
    patient_days / days as mean_inpatients,
    stranded_days / days as mean_stranded,
    super_stranded_days / days as mean_super_stranded,
    100.0 * stranded_days / patient_days as pct_stranded
from computed
order by period, try_cast("group" as integer) nulls last, "group"
