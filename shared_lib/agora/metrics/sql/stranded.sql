-- Stranded and super-stranded patients: inpatients with a length of stay of 7 or more (stranded)
-- and 21 or more (super-stranded) days at a daily snapshot.
-- Source: DATA_SPEC.md, Metric definitions, "Stranded / super-stranded" (NHS England
-- long-stay patient measures).
-- Counting: the snapshot is taken at the end of each day D (midnight): a spell is counted when it
-- was admitted on or before D and not discharged before the end of D, so its census days run from
-- its admission date to the day before its discharge date; its length of stay on D is D minus
-- the admission date in days (admitted 1 May, snapshot 8 May: 7 days, stranded). Over a week,
-- month or period the figures are daily means (patient-days / days), counted per spell as the
-- overlap of its census days with the bucket (no per-day expansion); age bands are taken at the
-- end of each bucket.

with

spells as (  -- import
    select * from apc_spell
),

renamed as (
    select
        person_id,
        site_code,
        source_org_code,
        cast(admission_at as date) as admission_date,
        coalesce(cast(discharge_at as date) - 1, date '9999-12-31') as last_census_day
    from spells
),

buckets as (
    select period, bucket_start, snapshot_date, days
    from agora_buckets($period_start, $period_end, $grain)
),

in_scope as (
    select r.*, p.birth_month, p.person_group
    from renamed as r
    left join agora_people($breakdown, $org) as p using (person_id)
    where r.admission_date <= $period_end
      and r.last_census_day >= $period_start
      and ($site is null or r.site_code = $site)
      and agora_in_org($org, r.source_org_code, p.practice_code, p.pcn_code)
),

census as (
    select
        b.period,
        b.days,
        agora_group($breakdown, s.person_group, agora_age_band(s.birth_month, b.snapshot_date),
                    s.site_code, null) as "group",
        least(s.last_census_day, b.snapshot_date) as last_day,
        greatest(s.admission_date, b.bucket_start) as first_day,
        greatest(s.admission_date + 7, b.bucket_start) as first_stranded_day,
        greatest(s.admission_date + 21, b.bucket_start) as first_super_stranded_day
    from buckets as b
    join in_scope as s
      on s.admission_date <= b.snapshot_date
     and s.last_census_day >= b.bucket_start
),

computed as (
    select
        period,
        "group",
        any_value(days) as days,
        sum(date_diff('day', first_day, last_day) + 1) as patient_days,
        sum(greatest(date_diff('day', first_stranded_day, last_day) + 1, 0)) as stranded_days,
        sum(greatest(date_diff('day', first_super_stranded_day, last_day) + 1, 0))
            as super_stranded_days
    from census
    group by period, "group"
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
